using System.Data.Common;
using Dapper;

namespace Kuulo.Companion.Storage;

/// <summary>All reads and writes of the companion's database, for SQLite and PostgreSQL alike.</summary>
public sealed class SqlStore(SqlDialect dialect)
{
    private static readonly string[] CallColumns =
    {
        "device_id", "seq", "call_number", "agent", "team", "site", "start_ms", "received_ms", "cfg", "dur_ms", "agent_ms",
        "cust_ms", "overlap_ms", "hold_ms", "interruptions", "backchannels", "cust_overlaps", "dead_air_n", "dead_air_ms",
        "dead_air_max_ms", "monologues", "agent_turn_max_ms", "cust_turn_max_ms", "gap_n", "gap_med_ms", "talk_ratio_pm", "alerts",
    };

    private static readonly string[] AlertColumns =
    {
        "device_id", "seq", "call_number", "agent", "team", "site", "ts_ms", "at_ms", "type", "stage", "received_ms",
    };

    static SqlStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public SqlDialect Dialect => dialect;

    public Task MigrateAsync() => Schema.MigrateAsync(dialect);

    /// <summary>What a batch write did: rows new to the database, and how many were already there.</summary>
    public readonly record struct BatchResult(int Inserted, int Duplicates);

    /// <summary>Writes a batch in one transaction. Calls and alerts already stored (same device and seq) are skipped.</summary>
    public async Task<BatchResult> WriteBatchAsync(IReadOnlyList<IngestItem> items)
    {
        await using var connection = await dialect.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var calls = items.OfType<CallItem>().ToList();
        var alerts = items.OfType<AlertItem>().ToList();
        int inserted = 0;
        inserted += await InsertRowsAsync(connection, tx, "calls", CallColumns, calls, c => CallValues(c));
        inserted += await InsertRowsAsync(connection, tx, "alerts", AlertColumns, alerts, a => new object[]
        {
            a.DeviceId, a.Alert.Seq, a.Alert.CallNumber, a.Device.Agent, a.Device.Team, a.Device.Site,
            a.Alert.UnixMs > 0 ? a.Alert.UnixMs : a.ReceivedMs, a.Alert.AtMs, Kuulo.Core.Turns.EventType.Name(a.Alert.Type),
            a.Alert.Stage, a.ReceivedMs,
        });

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
        return new BatchResult(inserted, calls.Count + alerts.Count - inserted);
    }

    private static object[] CallValues(CallItem c)
    {
        var s = c.Summary;
        long start = s.StartUnixMs > 0 ? s.StartUnixMs : c.ReceivedMs - s.DurationMs;
        return new object[]
        {
            c.DeviceId, s.Seq, s.CallNumber, c.Device.Agent, c.Device.Team, c.Device.Site, start, c.ReceivedMs, s.ConfigVersion,
            s.DurationMs, s.AgentTalkMs, s.CustomerTalkMs, s.OverlapMs, s.HoldMs, s.Interruptions, s.Backchannels,
            s.CustomerOverlaps, s.DeadAirCount, s.DeadAirMs, s.DeadAirMaxMs, s.Monologues, s.AgentTurnMaxMs,
            s.CustomerTurnMaxMs, s.ResponseGapCount, s.ResponseGapMedianMs, s.TalkRatioPerMille, s.Alerts,
        };
    }

    private async Task<int> InsertRowsAsync<T>(DbConnection connection, DbTransaction tx, string table, string[] columns,
        List<T> rows, Func<T, object[]> values)
    {
        return dialect.IsSqlite
            ? await InsertRowByRowAsync(connection, tx, table, columns, rows, values)
            : await InsertColumnArraysAsync(connection, tx, table, columns, rows, values);
    }

    /// <summary>
    /// SQLite runs in-process, so one prepared statement per row costs microseconds; its parameter binding by name
    /// makes very wide multi-row statements slow instead.
    /// </summary>
    private static async Task<int> InsertRowByRowAsync<T>(DbConnection connection, DbTransaction tx, string table, string[] columns,
        List<T> rows, Func<T, object[]> values)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {table} ({string.Join(",", columns)}) VALUES ({string.Join(",", columns.Select((_, i) => "@p" + i))}) "
            + "ON CONFLICT (device_id, seq) DO NOTHING";
        for (int c = 0; c < columns.Length; c++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + c;
            command.Parameters.Add(p);
        }

        command.Prepare();
        int inserted = 0;
        foreach (var row in rows)
        {
            var v = values(row);
            for (int c = 0; c < v.Length; c++)
            {
                command.Parameters[c].Value = v[c];
            }

            inserted += await command.ExecuteNonQueryAsync();
        }

        return inserted;
    }

    /// <summary>
    /// A client-server database pays a round trip and a parse per statement: send the whole batch as one statement
    /// of column arrays (PostgreSQL's multi-argument unnest), whatever its size.
    /// </summary>
    private static async Task<int> InsertColumnArraysAsync<T>(DbConnection connection, DbTransaction tx, string table, string[] columns,
        List<T> rows, Func<T, object[]> values)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var table2D = rows.Select(values).ToList();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        for (int c = 0; c < columns.Length; c++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "c" + c;
            p.Value = ColumnArray(table2D, c);
            command.Parameters.Add(p);
        }

        command.CommandText = $"INSERT INTO {table} ({string.Join(",", columns)}) SELECT * FROM unnest({string.Join(",", columns.Select((_, i) => "@c" + i))}) "
            + "ON CONFLICT (device_id, seq) DO NOTHING";
        return await command.ExecuteNonQueryAsync();
    }

    private static Array ColumnArray(List<object[]> rows, int column) => rows[0][column] switch
    {
        string => rows.Select(r => (string)r[column]).ToArray(),
        long => rows.Select(r => (long)r[column]).ToArray(),
        int => rows.Select(r => (int)r[column]).ToArray(),
        var other => throw new InvalidOperationException($"no array mapping for {other.GetType()}"),
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

    /// <summary>Per agent, team or site and per day or week: the figures supervisors coach from.</summary>
    public async Task<IReadOnlyList<AggregateRow>> AggregateAsync(string groupColumn, long periodMs, long offsetMs, CallFilter f)
    {
        await using var c = await dialect.OpenAsync();
        string bucket = $"((start_ms + {offsetMs}) / {periodMs}) * {periodMs} - {offsetMs}";
        return (await c.QueryAsync<AggregateRow>(
            $"""
            SELECT {groupColumn} AS key, {bucket} AS period_start_ms, COUNT(*) AS calls,
                   {Real("SUM(interruptions) * 1.0 / COUNT(*)")} AS interruptions_per_call,
                   {Real("SUM(dead_air_ms) / 1000.0 / COUNT(*)")} AS dead_air_seconds_per_call,
                   {Real("SUM(backchannels) * 1.0 / COUNT(*)")} AS backchannels_per_call,
                   {Real("COALESCE(SUM(agent_ms) * 1.0 / NULLIF(SUM(agent_ms + cust_ms), 0), 0)")} AS agent_talk_share,
                   {Real("COALESCE(SUM(overlap_ms) * 1.0 / NULLIF(SUM(agent_ms + cust_ms - overlap_ms), 0), 0)")} AS overlap_share,
                   {Real("COALESCE(AVG(CASE WHEN gap_n > 0 THEN gap_med_ms END) / 1000.0, 0)")} AS response_gap_seconds,
                   {Real("SUM(alerts) * 1.0 / COUNT(*)")} AS alerts_per_call
            FROM calls WHERE {Where(f)}
            GROUP BY {groupColumn}, {bucket}
            ORDER BY period_start_ms, key
            LIMIT @Limit
            """, f)).AsList();
    }

    public async Task<IReadOnlyList<AlertRow>> AlertsSinceAsync(long sinceMs, int limit)
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<AlertRow>("SELECT * FROM alerts WHERE received_ms >= @sinceMs ORDER BY received_ms DESC LIMIT @limit",
            new { sinceMs, limit })).AsList();
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

    public async Task<(long Calls, long Alerts, long DeadLetters)> CountsAsync()
    {
        await using var c = await dialect.OpenAsync();
        return (await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alerts"),
            await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dead_letters"));
    }

    private static string Real(string expression) => $"CAST({expression} AS DOUBLE PRECISION)";

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
