using System.Data.Common;
using System.Text;
using Dapper;

namespace Kuulo.Companion.Storage;

/// <summary>
/// Sums of the stored calls per agent and device by the site's local day, per agent by week and month, and per team
/// by day, week and month. Every dashboard figure derives from these, so a page reads hundreds or thousands of
/// rollup rows instead of millions of calls. They are added to in the
/// transaction that inserts the calls, for the calls actually inserted only: a redelivered call never counts twice.
/// All rollup SQL, for SQLite and PostgreSQL alike, is in this file.
/// </summary>
public static class Rollups
{
    /// <summary>Upper bounds (ms) of the histogram bins of per-call median response gaps; the last bin is open.</summary>
    public static readonly int[] GapBinUpperMs = { 250, 500, 750, 1000, 1500, 2000, 3000, 5000 };

    /// <summary>One summed column and what one call adds to it.</summary>
    public sealed record Sum(string Column, Func<CallRow, long> Of);

    /// <summary>The summed columns, in the order queries return them. Add a figure here and every rollup has it.</summary>
    public static readonly Sum[] Sums = new[]
    {
        new Sum("calls", _ => 1), new Sum("dur_ms", c => c.DurMs), new Sum("agent_ms", c => c.AgentMs), new Sum("cust_ms", c => c.CustMs),
        new Sum("overlap_ms", c => c.OverlapMs), new Sum("hold_ms", c => c.HoldMs), new Sum("interruptions", c => c.Interruptions),
        new Sum("backchannels", c => c.Backchannels), new Sum("cust_overlaps", c => c.CustOverlaps), new Sum("dead_air_n", c => c.DeadAirN),
        new Sum("dead_air_ms", c => c.DeadAirMs), new Sum("monologues", c => c.Monologues), new Sum("alerts", c => c.Alerts),
        new Sum("gap_calls", c => c.GapN > 0 ? 1 : 0), new Sum("gap_med_sum_ms", c => c.GapN > 0 ? c.GapMedMs : 0),
    }.Concat(Enumerable.Range(0, GapBinUpperMs.Length + 1).Select(b => new Sum($"gap_h{b}", c => c.GapN > 0 && GapBin(c.GapMedMs) == b ? 1 : 0)))
    .ToArray();

    /// <summary>Index of a summed column in <see cref="Sums"/>.</summary>
    public static int Index(string column) => Array.FindIndex(Sums, s => s.Column == column);

    /// <summary>
    /// A rollup table: its key columns (what one row is per period) and their values for a call, and its grain: every
    /// table's "day" column is the first local day of the row's period (the day itself, its Monday, or the 1st).
    /// </summary>
    public sealed record Table(string Name, string[] Key, Period Grain, Func<CallRow, int, object[]> KeyOf)
    {
        /// <summary>
        /// Migration 3's tables have a month_start column (NOT NULL), from when months were summed from days; reads
        /// no longer use it, writes still fill it.
        /// </summary>
        public bool HasMonthStart => Name is "agent_days" or "device_days";
    }

    private static Table PerAgent(string name, Period grain) =>
        new(name, new[] { "agent", "team", "site", "day" }, grain, (c, day) => new object[] { c.Agent, c.Team, c.Site, day });

    // Pages that show teams or sites read these: one row per team a period instead of one per agent (20 times fewer).
    private static Table PerTeam(string name, Period grain) =>
        new(name, new[] { "team", "site", "day" }, grain, (c, day) => new object[] { c.Team, c.Site, day });

    private static readonly Table AgentDays = PerAgent("agent_days", Period.Day);

    // The configuration version is part of the key, so the agent page can show which versions were in force when.
    private static readonly Table DeviceDays = new("device_days", new[] { "device_id", "agent", "team", "site", "day", "cfg" }, Period.Day,
        (c, day) => new object[] { c.DeviceId, c.Agent, c.Team, c.Site, day, c.Cfg });

    private static readonly Table AgentWeeks = PerAgent("agent_weeks", Period.Week), AgentMonths = PerAgent("agent_months", Period.Month),
        TeamDays = PerTeam("team_days", Period.Day), TeamWeeks = PerTeam("team_weeks", Period.Week), TeamMonths = PerTeam("team_months", Period.Month);

    /// <summary>The tables migration 3 created.</summary>
    public static readonly Table[] DailyTables = { AgentDays, DeviceDays };

    /// <summary>
    /// The tables migration 5 added: a year of weeks by agent reads 1000 rows a week instead of 7000, the overview
    /// reads 50 teams a day instead of 1000 agents.
    /// </summary>
    public static readonly Table[] PeriodTables = { AgentWeeks, AgentMonths, TeamDays, TeamWeeks, TeamMonths };

    private static readonly Table[] Tables = DailyTables.Concat(PeriodTables).ToArray();

    private static readonly string AllTableNames = string.Join(", ", Tables.Select(t => t.Name));

    public static int GapBin(int gapMs)
    {
        int bin = Array.FindIndex(GapBinUpperMs, upper => gapMs < upper);
        return bin < 0 ? GapBinUpperMs.Length : bin;
    }

    /// <summary>Migration 3: the daily rollup tables (and the sites' time zones they depend on).</summary>
    public static string CreateTables()
    {
        var sql = new StringBuilder("CREATE TABLE sites (name TEXT PRIMARY KEY, time_zone TEXT NOT NULL);\n");
        sql.Append(CreateStatements(DailyTables));
        sql.Append("CREATE INDEX agent_days_day ON agent_days (day);\n");
        sql.Append("CREATE INDEX agent_days_team ON agent_days (team, day);\n");
        sql.Append("CREATE INDEX agent_days_site ON agent_days (site, day);\n");
        sql.Append("CREATE INDEX device_days_agent ON device_days (agent, day);\n");
        // The agent page lists one agent's alerts over a time range, paged.
        sql.Append("CREATE INDEX alerts_agent ON alerts (agent, ts_ms);\n");
        return sql.ToString();
    }

    /// <summary>Migration 5: the weekly and monthly per-agent and the per-team rollup tables, indexed like agent_days.</summary>
    public static string CreatePeriodTables()
    {
        var sql = new StringBuilder(CreateStatements(PeriodTables));
        foreach (var t in PeriodTables)
        {
            sql.Append($"CREATE INDEX {t.Name}_day ON {t.Name} (day);\n");
            sql.Append($"CREATE INDEX {t.Name}_site ON {t.Name} (site, day);\n");
            if (t.Key[0] == "agent")
            {
                sql.Append($"CREATE INDEX {t.Name}_team ON {t.Name} (team, day);\n");
            }
        }

        return sql.ToString();
    }

    private static string CreateStatements(IEnumerable<Table> tables)
    {
        var sql = new StringBuilder();
        string sums = string.Join(", ", Sums.Select(s => $"{s.Column} BIGINT NOT NULL"));
        foreach (var t in tables)
        {
            string keys = string.Join(", ", t.Key.Select(k => $"{k} {(k is "day" or "cfg" ? "INTEGER" : "TEXT")} NOT NULL"));
            sql.Append($"CREATE TABLE {t.Name} ({keys},{(t.HasMonthStart ? " month_start INTEGER NOT NULL," : "")} {sums}, PRIMARY KEY ({string.Join(", ", t.Key)}));\n");
        }

        return sql.ToString();
    }

    /// <summary>Adds <paramref name="calls"/> (just inserted, never seen before) to every rollup.</summary>
    public static async Task AddAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IReadOnlyCollection<CallRow> calls,
        TimeZoneInfo defaultZone)
    {
        if (calls.Count == 0)
        {
            return;
        }

        if (!dialect.IsSqlite)
        {
            // Taken before the zones are read: a time zone change (which rebuilds under an exclusive lock) either
            // finishes before this batch reads zones, or waits for it and then recounts its calls.
            await connection.ExecuteAsync($"LOCK TABLE {AllTableNames} IN ROW EXCLUSIVE MODE", transaction: tx);
        }

        var zones = await ZonesAsync(connection, tx, defaultZone);
        await WriteAsync(connection, tx, dialect, Tables, Accumulate(Tables, calls, zones));
    }

    /// <summary>
    /// Recomputes the rollups from the stored calls: all of them (the migration, an import), or one site's (its time
    /// zone changed). Reads the calls a week at a time so memory stays bounded at any size. A migration passes the
    /// tables it created, as later migrations' tables do not exist yet.
    /// </summary>
    public static async Task RebuildAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, TimeZoneInfo defaultZone,
        string? site = null, Table[]? only = null)
    {
        var tables = only ?? Tables;
        if (!dialect.IsSqlite)
        {
            await connection.ExecuteAsync($"LOCK TABLE {string.Join(", ", tables.Select(t => t.Name))} IN EXCLUSIVE MODE", transaction: tx);
        }

        string where = site == null ? "" : " WHERE site = @site";
        foreach (var t in tables)
        {
            await connection.ExecuteAsync($"DELETE FROM {t.Name}{where}", new { site }, tx);
        }

        var zones = await ZonesAsync(connection, tx, defaultZone);
        var range = await connection.QuerySingleAsync<(long? First, long? Last)>(
            $"SELECT MIN(start_ms) AS first, MAX(start_ms) AS last FROM calls{where}", new { site }, tx);
        const long Window = 7 * 86_400_000L;
        for (long from = range.First ?? 0; range.Last != null && from <= range.Last; from += Window)
        {
            var calls = (await connection.QueryAsync<CallRow>(
                $"SELECT * FROM calls WHERE start_ms >= @from AND start_ms < @to{(site == null ? "" : " AND site = @site")}",
                new { from, to = from + Window, site }, tx)).AsList();
            await WriteAsync(connection, tx, dialect, tables, Accumulate(tables, calls, zones));
        }
    }

    /// <summary>Sets a site's time zone and recounts its days in that zone, in one transaction.</summary>
    public static async Task SetZoneAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, TimeZoneInfo defaultZone,
        string site, string zoneId)
    {
        if (!dialect.IsSqlite)
        {
            await connection.ExecuteAsync($"LOCK TABLE {AllTableNames} IN EXCLUSIVE MODE", transaction: tx);
        }

        await connection.ExecuteAsync(
            "INSERT INTO sites (name, time_zone) VALUES (@site, @zoneId) ON CONFLICT (name) DO UPDATE SET time_zone = excluded.time_zone",
            new { site, zoneId }, tx);
        await RebuildAsync(connection, tx, dialect, defaultZone, site);
    }

    /// <summary>Every site's zone by name; sites not listed use the configured default.</summary>
    public static async Task<Func<string, TimeZoneInfo>> ZonesAsync(DbConnection connection, DbTransaction? tx, TimeZoneInfo fallback)
    {
        var zones = new Dictionary<string, TimeZoneInfo>();
        foreach (var (name, id) in await connection.QueryAsync<(string, string)>("SELECT name, time_zone FROM sites", transaction: tx))
        {
            zones[name] = LocalDays.Zone(id, out _) ?? fallback;
        }

        return site => zones.GetValueOrDefault(site, fallback);
    }

    private sealed record Delta(Table Table, object[] Key, int MonthStart, long[] Sums);

    /// <summary>Sums the calls per rollup row in memory, so each row is written once per batch.</summary>
    private static List<Delta> Accumulate(Table[] tables, IEnumerable<CallRow> calls, Func<string, TimeZoneInfo> zoneOf)
    {
        var rows = new Dictionary<string, Delta>();
        foreach (var call in calls)
        {
            int day = LocalDays.DayOf(call.StartMs, zoneOf(call.Site));
            foreach (var t in tables)
            {
                var key = t.KeyOf(call, LocalDays.PeriodStart(t.Grain, day));
                string id = t.Name + "\u001f" + string.Join('\u001f', key);
                if (!rows.TryGetValue(id, out var delta))
                {
                    rows[id] = delta = new Delta(t, key, LocalDays.MonthStart(day), new long[Sums.Length]);
                }

                for (int s = 0; s < Sums.Length; s++)
                {
                    delta.Sums[s] += Sums[s].Of(call);
                }
            }
        }

        return rows.Values.ToList();
    }

    private static async Task WriteAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, Table[] tables, List<Delta> deltas)
    {
        foreach (var t in tables)
        {
            var rows = deltas.Where(d => d.Table == t)
                .Select(d => (t.HasMonthStart ? d.Key.Append(d.MonthStart) : d.Key).Concat(d.Sums.Cast<object>()).ToArray()).ToList();
            var columns = (t.HasMonthStart ? t.Key.Append("month_start") : t.Key).Concat(Sums.Select(s => s.Column)).ToArray();
            string conflict = $"ON CONFLICT ({string.Join(", ", t.Key)}) DO UPDATE SET "
                + string.Join(", ", Sums.Select(s => $"{s.Column} = {t.Name}.{s.Column} + excluded.{s.Column}"));
            await BulkInsert.RunAsync(connection, tx, dialect, t.Name, columns, rows, conflict);
        }
    }

    // --- reads ----------------------------------------------------------------------------------

    /// <summary>Which days, agents, teams and sites a query covers; days are local days, both ends included.</summary>
    /// <param name="Keys">When set, only these values of the grouping column (the series a chart draws).</param>
    public sealed record Filter(string? Agent, string? Team, string? Site, int FromDay, int ToDay, IReadOnlyList<string>? Keys = null);

    /// <summary>The sums of one group (an agent, team or site; or everything) over one period.</summary>
    public sealed record Group(string Key, int PeriodStart, long[] Sums);

    /// <summary>
    /// Sums per <paramref name="groupColumn"/> (agent, team or site) and period. With no period the whole range is one
    /// group per key (rankings). Reads the coarsest rollup that answers: per team when no agent is asked about, and
    /// whole weeks or months from their own tables. A period the range cuts short (the current week or month, or one
    /// cut by 'from' or 'to') is summed from the whole weeks inside it and at most six days at either end, so no
    /// request sums more than twelve days of daily rows however long its periods are.
    /// </summary>
    public static async Task<List<Group>> GroupAsync(DbConnection connection, SqlDialect dialect, string groupColumn, Period? period, Filter f)
    {
        bool perTeam = groupColumn != "agent" && f.Agent == null;
        var days = perTeam ? TeamDays : AgentDays;
        var weeks = perTeam ? TeamWeeks : AgentWeeks;
        if (period is null or Period.Day)
        {
            return await ReadAsync(connection, dialect, days, groupColumn, period == null ? null : "day", f);
        }

        var p = period.Value;
        var whole = p == Period.Week ? weeks : perTeam ? TeamMonths : AgentMonths;
        int first = LocalDays.PeriodStart(p, f.FromDay) == f.FromDay ? f.FromDay : LocalDays.NextPeriodStart(p, f.FromDay);
        int end = LocalDays.PeriodStart(p, f.ToDay + 1);
        var groups = new List<Group>();
        if (first < end)
        {
            groups.AddRange(await ReadAsync(connection, dialect, whole, groupColumn, "day", f with { FromDay = first, ToDay = end - 1 }));
        }

        // The partial periods before and after the whole ones; each lies inside one period, which is every row's bucket.
        foreach (var (from, to) in new[] { (f.FromDay, Math.Min(first - 1, f.ToDay)), (Math.Max(end, first), f.ToDay) }.Where(r => r.Item1 <= r.Item2))
        {
            string bucket = LocalDays.PeriodStart(p, from).ToString(System.Globalization.CultureInfo.InvariantCulture);
            int weeksFrom = LocalDays.PeriodStart(Period.Week, from) == from ? from : LocalDays.NextPeriodStart(Period.Week, from);
            int weeksEnd = LocalDays.PeriodStart(Period.Week, to + 1);
            if (p == Period.Month && weeksFrom < weeksEnd)
            {
                groups.AddRange(await ReadAsync(connection, dialect, weeks, groupColumn, bucket, f with { FromDay = weeksFrom, ToDay = weeksEnd - 1 }));
                foreach (var (dFrom, dTo) in new[] { (from, weeksFrom - 1), (weeksEnd, to) }.Where(r => r.Item1 <= r.Item2))
                {
                    groups.AddRange(await ReadAsync(connection, dialect, days, groupColumn, bucket, f with { FromDay = dFrom, ToDay = dTo }));
                }
            }
            else
            {
                groups.AddRange(await ReadAsync(connection, dialect, days, groupColumn, bucket, f with { FromDay = from, ToDay = to }));
            }
        }

        // A partial month read from weeks and days has a group from each: one sum per key and period.
        return groups.GroupBy(g => (g.Key, g.PeriodStart))
            .Select(same => same.Skip(1).Any() ? new Group(same.Key.Key, same.Key.PeriodStart, Add(same)) : same.First()).ToList();
    }

    private static long[] Add(IEnumerable<Group> groups)
    {
        var sums = new long[Sums.Length];
        foreach (var g in groups)
        {
            for (int s = 0; s < sums.Length; s++)
            {
                sums[s] += g.Sums[s];
            }
        }

        return sums;
    }

    /// <param name="bucket">
    /// The period start of each row: a column (grouped by), a number (every row is in that one period), or null (the
    /// whole range is one group per key).
    /// </param>
    private static async Task<List<Group>> ReadAsync(DbConnection connection, SqlDialect dialect, Table table, string groupColumn, string? bucket, Filter f)
    {
        var clauses = new List<string> { "day >= @FromDay", "day <= @ToDay" };
        if (f.Agent != null) { clauses.Add("agent = @Agent"); }
        if (f.Team != null) { clauses.Add("team = @Team"); }
        if (f.Site != null) { clauses.Add("site = @Site"); }
        // Dapper expands a list into IN (...) for SQLite; PostgreSQL takes the array as one parameter.
        if (f.Keys != null) { clauses.Add(dialect.IsSqlite ? $"{groupColumn} IN @Keys" : $"{groupColumn} = ANY(@Keys)"); }
        string sql = $"""
            SELECT {groupColumn} AS k, CAST({bucket ?? "0"} AS BIGINT) AS p, {string.Join(", ", Sums.Select(s => $"CAST(SUM({s.Column}) AS BIGINT)"))}
            FROM {table.Name} WHERE {string.Join(" AND ", clauses)}
            GROUP BY {groupColumn}{(bucket == null || char.IsDigit(bucket[0]) ? "" : ", " + bucket)}
            """;
        var groups = new List<Group>();
        await using var reader = await connection.ExecuteReaderAsync(sql, new { f.Agent, f.Team, f.Site, f.FromDay, f.ToDay, Keys = f.Keys?.ToArray() });
        while (await reader.ReadAsync())
        {
            var sums = new long[Sums.Length];
            for (int s = 0; s < sums.Length; s++)
            {
                sums[s] = reader.GetInt64(2 + s);
            }

            groups.Add(new Group(reader.GetString(0), (int)reader.GetInt64(1), sums));
        }

        return groups;
    }

    /// <summary>One configuration version in force on one device of an agent on one local day.</summary>
    public sealed record ConfigDay(int Day, string DeviceId, int Cfg, long Calls);

    public static async Task<List<ConfigDay>> ConfigDaysAsync(DbConnection connection, string agent, int fromDay, int toDay) =>
        (await connection.QueryAsync<(long Day, string DeviceId, long Cfg, long Calls)>(
            """
            SELECT CAST(day AS BIGINT), device_id, CAST(cfg AS BIGINT), CAST(SUM(calls) AS BIGINT) FROM device_days
            WHERE agent = @agent AND day >= @fromDay AND day <= @toDay
            GROUP BY day, device_id, cfg ORDER BY day, device_id, cfg
            """, new { agent, fromDay, toDay }))
        .Select(r => new ConfigDay((int)r.Day, r.DeviceId, (int)r.Cfg, r.Calls)).ToList();
}
