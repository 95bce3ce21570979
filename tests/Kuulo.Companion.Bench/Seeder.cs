using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Kuulo.Companion.Storage;
using Npgsql;
using NpgsqlTypes;

/// <summary>
/// Fills a companion database with a contact centre's history, straight into its schema as an import would:
/// N calls over M agents (one desk each) in T teams at S sites (each in its own time zone) over D days up to today,
/// about one alert per five calls; then builds the rollups with the companion's own code. PostgreSQL gets the calls
/// by COPY (binary) with the indexes built afterwards; SQLite by one prepared statement in one transaction.
/// </summary>
sealed class Seeder(SqlDialect dialect, long calls, int agents, int teams, int sites, int days)
{
    /// <summary>The sites' zones, in order: the ones supervisors tripped over (midnight two hours off, a day behind).</summary>
    public static readonly string[] Zones = { "Europe/Helsinki", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney" };

    private static readonly string[] AlertColumns = { "device_id", "seq", "call_number", "agent", "team", "site", "ts_ms", "at_ms", "type", "stage", "received_ms" };

    public static string Agent(int i) => $"agent-{i:D5}";

    public async Task RunAsync()
    {
        var watch = Stopwatch.StartNew();
        await Schema.MigrateAsync(dialect, TimeZoneInfo.Utc);
        await using var connection = await dialect.OpenAsync();
        for (int s = 0; s < sites; s++)
        {
            await connection.ExecuteAsync("INSERT INTO sites (name, time_zone) VALUES (@name, @zone)", new { name = $"site-{s}", zone = Zones[s % Zones.Length] });
        }

        for (int a = 0; a < agents; a++)
        {
            await connection.ExecuteAsync(
                "INSERT INTO devices (id, site, team, desk, agent, password_hash, created_ms, online, in_call, last_seen_ms) VALUES (@id, @site, @team, @id, @agent, 'seeded', 0, @online, @inCall, @now)",
                new { id = $"desk-{a:D5}", site = SiteOf(a), team = TeamOf(a), agent = Agent(a), online = a % 10 != 0, inCall = a % 3 == 0, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        }

        if (dialect.IsSqlite)
        {
            await SeedSqliteAsync(connection);
        }
        else
        {
            await SeedPostgresAsync((NpgsqlConnection)connection);
        }

        Console.WriteLine($"seeded {calls:N0} calls in {watch.Elapsed.TotalSeconds:N0} s; building rollups...");
        watch.Restart();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await Rollups.RebuildAsync(connection, tx, dialect, TimeZoneInfo.Utc);
            await tx.CommitAsync();
        }

        await connection.ExecuteAsync(dialect.IsSqlite ? "ANALYZE" : "VACUUM ANALYZE", commandTimeout: 3600, commandType: System.Data.CommandType.Text);
        Console.WriteLine($"rollups built in {watch.Elapsed.TotalSeconds:N0} s");
    }

    public string TeamOf(int agent) => $"team-{agent % teams:D3}";
    private string SiteOf(int agent) => $"site-{agent % teams % sites}";

    /// <summary>The calls in start order per agent; deterministic for a given size.</summary>
    private IEnumerable<(CallRow Call, object[]? Alert)> Generate()
    {
        var random = new Random(11);
        long end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        long span = days * 86_400_000L;
        long perAgent = calls / agents;
        for (int a = 0; a < agents; a++)
        {
            long count = perAgent + (a < calls % agents ? 1 : 0);
            string device = $"desk-{a:D5}", agent = Agent(a), team = TeamOf(a), site = SiteOf(a);
            // Each agent's desk got a new configuration once, somewhere in the period.
            long change = end - span + span * (a % 97) / 97;
            for (long i = 0; i < count; i++)
            {
                long start = end - span + span * i / Math.Max(1, count) + random.Next(0, 600_000);
                int dur = random.Next(30_000, 900_000);
                int agentMs = dur * random.Next(25, 55) / 100, custMs = dur * random.Next(25, 55) / 100;
                int gapN = random.Next(0, 20);
                var call = new CallRow
                {
                    DeviceId = device, Seq = i + 1, CallNumber = (int)(i % 100_000) + 1, Agent = agent, Team = team, Site = site, StartMs = start,
                    ReceivedMs = start + dur + 200, Cfg = start < change ? 1 : 2, DurMs = dur, AgentMs = agentMs, CustMs = custMs,
                    OverlapMs = random.Next(0, 5000), HoldMs = random.Next(0, 4) == 0 ? random.Next(0, 120_000) : 0, Interruptions = random.Next(0, 6),
                    Backchannels = random.Next(0, 12), CustOverlaps = random.Next(0, 4), DeadAirN = random.Next(0, 3), DeadAirMs = random.Next(0, 15_000),
                    DeadAirMaxMs = random.Next(0, 9000), Monologues = random.Next(0, 2), AgentTurnMaxMs = random.Next(5000, 60_000),
                    CustTurnMaxMs = random.Next(5000, 60_000), GapN = gapN, GapMedMs = gapN > 0 ? random.Next(150, 4000) : -1,
                    TalkRatioPm = 1000 * agentMs / Math.Max(1, agentMs + custMs), Alerts = random.Next(0, 5) == 0 ? 1 : 0,
                };
                object[]? alert = call.Alerts == 0 ? null : new object[]
                {
                    device, 1_000_000_000L + i, call.CallNumber, agent, team, site, start + 30_000, 30_000, "interruption", 1, start + 30_200,
                };
                yield return (call, alert);
            }
        }
    }

    private async Task SeedPostgresAsync(NpgsqlConnection connection)
    {
        // Indexes are cheaper built once at the end than kept up to date row by row.
        await connection.ExecuteAsync("ALTER TABLE calls DROP CONSTRAINT calls_pkey; DROP INDEX calls_start; DROP INDEX calls_agent; ALTER TABLE alerts DROP CONSTRAINT alerts_pkey; DROP INDEX alerts_received; DROP INDEX alerts_agent");
        long alerts = 0;
        await using (var callCopy = await connection.BeginBinaryImportAsync($"COPY calls ({string.Join(",", SqlStore.CallColumns)}) FROM STDIN (FORMAT BINARY)"))
        {
            long n = 0;
            foreach (var (call, _) in Generate())
            {
                await WriteRowAsync(callCopy, SqlStore.CallValues(call));
                if (++n % 1_000_000 == 0)
                {
                    Console.WriteLine($"  {n:N0} calls");
                }
            }

            await callCopy.CompleteAsync();
        }

        // A second, identical pass for the alerts, rather than holding millions of them in memory.
        await using (var alertCopy = await connection.BeginBinaryImportAsync($"COPY alerts ({string.Join(",", AlertColumns)}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (_, alert) in Generate())
            {
                if (alert != null)
                {
                    await WriteRowAsync(alertCopy, alert);
                    alerts++;
                }
            }

            await alertCopy.CompleteAsync();
        }

        Console.WriteLine($"  {alerts:N0} alerts; building indexes...");
        await connection.ExecuteAsync(
            """
            ALTER TABLE calls ADD PRIMARY KEY (device_id, seq); CREATE INDEX calls_start ON calls (start_ms); CREATE INDEX calls_agent ON calls (agent, start_ms);
            ALTER TABLE alerts ADD PRIMARY KEY (device_id, seq); CREATE INDEX alerts_received ON alerts (received_ms); CREATE INDEX alerts_agent ON alerts (agent, ts_ms);
            """, commandTimeout: 3600);
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter copy, object[] values)
    {
        await copy.StartRowAsync();
        foreach (var value in values)
        {
            switch (value)
            {
                case string s: await copy.WriteAsync(s, NpgsqlDbType.Text); break;
                case long l: await copy.WriteAsync(l, NpgsqlDbType.Bigint); break;
                case int i: await copy.WriteAsync(i, NpgsqlDbType.Integer); break;
                default: throw new InvalidOperationException($"no COPY mapping for {value.GetType()}");
            }
        }
    }

    private async Task SeedSqliteAsync(DbConnection connection)
    {
        await using var tx = await connection.BeginTransactionAsync();
        await using var insertCall = Prepare(connection, tx, "calls", SqlStore.CallColumns);
        await using var insertAlert = Prepare(connection, tx, "alerts", AlertColumns);
        foreach (var (call, alert) in Generate())
        {
            await RunAsync(insertCall, SqlStore.CallValues(call));
            if (alert != null)
            {
                await RunAsync(insertAlert, alert);
            }
        }

        await tx.CommitAsync();
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction tx, string table, string[] columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {table} ({string.Join(",", columns)}) VALUES ({string.Join(",", columns.Select((_, i) => "@p" + i))})";
        foreach (var i in Enumerable.Range(0, columns.Length))
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i;
            command.Parameters.Add(p);
        }

        command.Prepare();
        return command;
    }

    private static Task<int> RunAsync(DbCommand command, object[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        return command.ExecuteNonQueryAsync();
    }
}
