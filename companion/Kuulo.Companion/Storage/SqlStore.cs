using System.Data.Common;
using Dapper;
using Kuulo.Companion.Options;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Storage;

/// <summary>All reads and writes of the companion's database, for SQLite and PostgreSQL alike.</summary>
public sealed class SqlStore
{
    /// <summary>The calls table's columns, in the order <see cref="CallValues"/> gives them.</summary>
    public static readonly string[] CallColumns =
    {
        "device_id", "seq", "call_number", "agent", "team", "site", "start_ms", "received_ms", "cfg", "dur_ms", "agent_ms",
        "cust_ms", "overlap_ms", "hold_ms", "interruptions", "backchannels", "cust_overlaps", "dead_air_n", "dead_air_ms",
        "dead_air_max_ms", "monologues", "agent_turn_max_ms", "cust_turn_max_ms", "gap_n", "gap_med_ms", "talk_ratio_pm", "alerts",
    };

    private static readonly string[] AlertColumns =
    {
        "device_id", "seq", "call_number", "agent", "team", "site", "ts_ms", "at_ms", "type", "stage", "received_ms",
    };

    private const string SkipStored = "ON CONFLICT (device_id, seq) DO NOTHING";

    private readonly SqlDialect dialect;

    static SqlStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public SqlStore(SqlDialect dialect, IOptions<KuuloOptions> options)
    {
        this.dialect = dialect;
        DefaultZone = LocalDays.Zone(options.Value.DefaultTimeZone, out var error)
            ?? throw new InvalidOperationException("Kuulo:DefaultTimeZone: " + error);
    }

    public SqlDialect Dialect => dialect;

    /// <summary>The zone of sites that have none of their own.</summary>
    public TimeZoneInfo DefaultZone { get; }

    public Task MigrateAsync() => Schema.MigrateAsync(dialect, DefaultZone);

    /// <summary>What a batch write did: rows new to the database, and how many were already there.</summary>
    public readonly record struct BatchResult(int Inserted, int Duplicates);

    /// <summary>
    /// Writes a batch in one transaction. Calls and alerts already stored (same device and seq) are skipped; the
    /// calls that are new are added to the rollups in the same transaction.
    /// </summary>
    public async Task<BatchResult> WriteBatchAsync(IReadOnlyList<IngestItem> items)
    {
        await using var connection = await dialect.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var calls = items.OfType<CallItem>().Select(ToRow).ToList();
        var alerts = items.OfType<AlertItem>().ToList();
        var newCalls = await BulkInsert.RunAsync(connection, tx, dialect, "calls", CallColumns, calls.Select(CallValues).ToList(), SkipStored, keyed: true);
        var inserted = calls.Where((_, i) => newCalls![i]).ToList();
        await Rollups.AddAsync(connection, tx, dialect, inserted, DefaultZone);
        var newAlerts = await BulkInsert.RunAsync(connection, tx, dialect, "alerts", AlertColumns, alerts.Select(a => new object[]
        {
            a.DeviceId, a.Alert.Seq, a.Alert.CallNumber, a.Device.Agent, a.Device.Team, a.Device.Site,
            a.Alert.UnixMs > 0 ? a.Alert.UnixMs : a.ReceivedMs, a.Alert.AtMs, Kuulo.Core.Turns.EventType.Name(a.Alert.Type),
            a.Alert.Stage, a.ReceivedMs,
        }).ToList(), SkipStored, keyed: true);
        int stored = inserted.Count + newAlerts!.Count(n => n);

        foreach (var status in items.OfType<StatusItem>())
        {
            var s = status.Status;
            await connection.ExecuteAsync(s.Online
                ? """
                  UPDATE devices SET online = TRUE, last_seen_ms = @ReceivedMs, firmware = @Firmware, rssi = @Rssi, free_heap = @FreeHeapBytes,
                  uptime_s = @UptimeSeconds, queued = @Queued, dropped = @Dropped, in_call = @InCall WHERE id = @DeviceId
                  """
                : "UPDATE devices SET online = FALSE, in_call = FALSE, last_seen_ms = @ReceivedMs WHERE id = @DeviceId",
                new { status.DeviceId, status.ReceivedMs, s.Firmware, s.Rssi, s.FreeHeapBytes, s.UptimeSeconds, s.Queued, s.Dropped, s.InCall }, tx);
        }

        foreach (var report in items.OfType<ReportItem>())
        {
            var r = report.Report;
            await connection.ExecuteAsync(
                """
                UPDATE devices SET reported_version = @AppliedVersion, rejected_version = @Rejected, rejected_error = @Error,
                last_seen_ms = @ReceivedMs WHERE id = @DeviceId
                """,
                new { report.DeviceId, report.ReceivedMs, r.AppliedVersion, Rejected = r.RejectedVersion > 0 ? r.RejectedVersion : (int?)null, r.Error }, tx);
        }

        await FleetStore.WriteReportsAsync(connection, tx, items);
        foreach (var dead in items.OfType<DeadLetterItem>().Where(d => d.Stored))
        {
            await connection.ExecuteAsync(
                "INSERT INTO dead_letters (received_ms, topic, client_id, reason, payload) VALUES (@ReceivedMs, @Topic, @ClientId, @Reason, @Payload)",
                dead, tx);
        }

        await tx.CommitAsync();
        return new BatchResult(stored, calls.Count + alerts.Count - stored);
    }

    /// <summary>A call as it is stored: the device's assignment now, and the start time the device gave (or its best guess).</summary>
    private static CallRow ToRow(CallItem c)
    {
        var s = c.Summary;
        return new CallRow
        {
            DeviceId = c.DeviceId, Seq = s.Seq, CallNumber = s.CallNumber, Agent = c.Device.Agent, Team = c.Device.Team, Site = c.Device.Site,
            StartMs = s.StartUnixMs > 0 ? s.StartUnixMs : c.ReceivedMs - s.DurationMs, ReceivedMs = c.ReceivedMs, Cfg = s.ConfigVersion,
            DurMs = s.DurationMs, AgentMs = s.AgentTalkMs, CustMs = s.CustomerTalkMs, OverlapMs = s.OverlapMs, HoldMs = s.HoldMs,
            Interruptions = s.Interruptions, Backchannels = s.Backchannels, CustOverlaps = s.CustomerOverlaps, DeadAirN = s.DeadAirCount,
            DeadAirMs = s.DeadAirMs, DeadAirMaxMs = s.DeadAirMaxMs, Monologues = s.Monologues, AgentTurnMaxMs = s.AgentTurnMaxMs,
            CustTurnMaxMs = s.CustomerTurnMaxMs, GapN = s.ResponseGapCount, GapMedMs = s.ResponseGapMedianMs, TalkRatioPm = s.TalkRatioPerMille,
            Alerts = s.Alerts,
        };
    }

    /// <summary>A call's values in <see cref="CallColumns"/> order.</summary>
    public static object[] CallValues(CallRow c) => new object[]
    {
        c.DeviceId, c.Seq, c.CallNumber, c.Agent, c.Team, c.Site, c.StartMs, c.ReceivedMs, c.Cfg, c.DurMs, c.AgentMs, c.CustMs,
        c.OverlapMs, c.HoldMs, c.Interruptions, c.Backchannels, c.CustOverlaps, c.DeadAirN, c.DeadAirMs, c.DeadAirMaxMs, c.Monologues,
        c.AgentTurnMaxMs, c.CustTurnMaxMs, c.GapN, c.GapMedMs, c.TalkRatioPm, c.Alerts,
    };

    // --- registry -------------------------------------------------------------------------------

    public async Task<DeviceRecord?> GetDeviceAsync(string id)
    {
        await using var c = await dialect.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<DeviceRecord>("SELECT * FROM devices WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync()
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<DeviceRecord>("SELECT * FROM devices ORDER BY site, team, id")).AsList();
    }

    /// <summary>False when the id is taken.</summary>
    public async Task<bool> AddDeviceAsync(DeviceRecord d)
    {
        await using var c = await dialect.OpenAsync();
        int rows = await c.ExecuteAsync(
            """
            INSERT INTO devices (id, site, team, desk, agent, password_hash, created_ms)
            VALUES (@Id, @Site, @Team, @Desk, @Agent, @PasswordHash, @CreatedMs) ON CONFLICT (id) DO NOTHING
            """, d);
        return rows == 1;
    }

    public async Task<bool> UpdateAssignmentAsync(string id, string site, string team, string desk, string agent)
    {
        await using var c = await dialect.OpenAsync();
        return await c.ExecuteAsync("UPDATE devices SET site = @site, team = @team, desk = @desk, agent = @agent WHERE id = @id",
            new { id, site, team, desk, agent }) == 1;
    }

    public async Task<bool> UpdatePasswordAsync(string id, string passwordHash)
    {
        await using var c = await dialect.OpenAsync();
        return await c.ExecuteAsync("UPDATE devices SET password_hash = @passwordHash WHERE id = @id", new { id, passwordHash }) == 1;
    }

    public async Task<bool> SetDisabledAsync(string id, bool disabled)
    {
        await using var c = await dialect.OpenAsync();
        return await c.ExecuteAsync("UPDATE devices SET disabled = @disabled WHERE id = @id", new { id, disabled }) == 1;
    }

    /// <summary>Removes the registration; the device's stored calls and alerts stay.</summary>
    public async Task<bool> DeleteDeviceAsync(string id)
    {
        await using var c = await dialect.OpenAsync();
        return await c.ExecuteAsync("DELETE FROM devices WHERE id = @id", new { id }) == 1;
    }

    /// <summary>Stores a new desired configuration as the next version; returns that version, or 0 for an unknown device.</summary>
    public async Task<int> SetDesiredConfigAsync(string id, Func<int, string> documentForVersion)
    {
        await using var c = await dialect.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        int? current = await c.ExecuteScalarAsync<int?>("SELECT desired_version FROM devices WHERE id = @id", new { id }, tx);
        if (current is null)
        {
            return 0;
        }

        int version = current.Value + 1;
        await c.ExecuteAsync("UPDATE devices SET desired_version = @version, desired_config = @doc WHERE id = @id",
            new { id, version, doc = documentForVersion(version) }, tx);
        await tx.CommitAsync();
        return version;
    }

    // --- queries --------------------------------------------------------------------------------

    public async Task<IReadOnlyList<CallRow>> QueryCallsAsync(CallFilter f)
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<CallRow>(
            $"SELECT * FROM calls WHERE {Where(f)} ORDER BY start_ms DESC, device_id, seq LIMIT @Limit", f)).AsList();
    }

    /// <summary>Rollup sums per agent, team or site and period (or the whole range, with no period).</summary>
    public async Task<List<Rollups.Group>> GroupAsync(string groupColumn, Period? period, Rollups.Filter f)
    {
        await using var c = await dialect.OpenAsync();
        return await Rollups.GroupAsync(c, dialect, groupColumn, period, f);
    }

    public async Task<List<Rollups.ConfigDay>> ConfigDaysAsync(string agent, int fromDay, int toDay)
    {
        await using var c = await dialect.OpenAsync();
        return await Rollups.ConfigDaysAsync(c, agent, fromDay, toDay);
    }

    /// <summary>The newest alerts received since <paramref name="sinceMs"/>, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<AlertRow>> AlertsSinceAsync(long sinceMs, int limit)
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<AlertRow>("SELECT * FROM alerts WHERE received_ms >= @sinceMs ORDER BY received_ms DESC LIMIT @limit",
            new { sinceMs, limit })).AsList();
    }

    /// <summary>One agent's alerts raised in [from, to), newest first, one page of them and how many there are in all.</summary>
    public async Task<(long Total, IReadOnlyList<AlertRow> Page)> AgentAlertsAsync(string agent, long fromMs, long toMs, int offset, int limit)
    {
        await using var c = await dialect.OpenAsync();
        var args = new { agent, fromMs, toMs, offset, limit };
        const string Where = "agent = @agent AND ts_ms >= @fromMs AND ts_ms < @toMs";
        long total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM alerts WHERE {Where}", args);
        var page = (await c.QueryAsync<AlertRow>(
            $"SELECT * FROM alerts WHERE {Where} ORDER BY ts_ms DESC, device_id, seq LIMIT @limit OFFSET @offset", args)).AsList();
        return (total, page);
    }

    // --- sites ----------------------------------------------------------------------------------

    /// <summary>Every site with devices or a zone of its own, and the zone its days are counted in.</summary>
    public async Task<IReadOnlyList<(string Name, string TimeZone)>> ListSitesAsync()
    {
        await using var c = await dialect.OpenAsync();
        var zones = (await c.QueryAsync<(string Name, string Zone)>("SELECT name, time_zone FROM sites")).ToDictionary(z => z.Name, z => z.Zone);
        var names = (await c.QueryAsync<string>("SELECT DISTINCT site FROM devices")).Union(zones.Keys).Order(StringComparer.Ordinal);
        return names.Select(n => (n, zones.GetValueOrDefault(n, DefaultZone.Id))).ToList();
    }

    /// <summary>The zone a site's days are counted in.</summary>
    public async Task<TimeZoneInfo> ZoneOfAsync(string site)
    {
        await using var c = await dialect.OpenAsync();
        return (await Rollups.ZonesAsync(c, null, DefaultZone))(site);
    }

    /// <summary>Sets a site's time zone and recounts its rollups in that zone.</summary>
    public async Task SetSiteZoneAsync(string site, string zoneId)
    {
        await using var c = await dialect.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await Rollups.SetZoneAsync(c, tx, dialect, DefaultZone, site, zoneId);
        await tx.CommitAsync();
    }

    public async Task<IReadOnlyList<DeadLetterRow>> DeadLettersAsync(int limit)
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<DeadLetterRow>("SELECT * FROM dead_letters ORDER BY id DESC LIMIT @limit", new { limit })).AsList();
    }

    /// <summary>Runs of sequence numbers missing between the first and last one stored for a device.</summary>
    public async Task<IReadOnlyList<SequenceGap>> GapsAsync(string deviceId, long jumpWindow)
    {
        await using var c = await dialect.OpenAsync();
        var rows = await c.QueryAsync<(long Prev, long Seq)>(
            """
            SELECT prev, seq FROM (
              SELECT seq, LAG(seq) OVER (ORDER BY seq) AS prev
              FROM (SELECT seq FROM calls WHERE device_id = @deviceId UNION ALL SELECT seq FROM alerts WHERE device_id = @deviceId) s
            ) t WHERE prev IS NOT NULL AND seq > prev + 1 ORDER BY seq
            """, new { deviceId });
        return rows.Select(r => new SequenceGap(r.Prev + 1, r.Seq - 1, r.Seq - r.Prev - 1, r.Seq - r.Prev - 1 > jumpWindow)).ToList();
    }

    /// <summary>Throws when the database cannot be reached.</summary>
    public async Task PingAsync()
    {
        await using var c = await dialect.OpenAsync();
        await c.ExecuteScalarAsync<int>("SELECT 1");
    }

    private static string Where(CallFilter f)
    {
        var clauses = new List<string> { "1 = 1" };
        if (f.DeviceId != null) { clauses.Add("device_id = @DeviceId"); }
        if (f.Agent != null) { clauses.Add("agent = @Agent"); }
        if (f.Team != null) { clauses.Add("team = @Team"); }
        if (f.Site != null) { clauses.Add("site = @Site"); }
        if (f.FromMs != null) { clauses.Add("start_ms >= @FromMs"); }
        if (f.ToMs != null) { clauses.Add("start_ms < @ToMs"); }
        return string.Join(" AND ", clauses);
    }
}
