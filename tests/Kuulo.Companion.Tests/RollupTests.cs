using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.Core.Turns;
using Kuulo.TestSupport;
using Npgsql;

namespace Kuulo.Companion.Tests;

/// <summary>One companion on SQLite and one on PostgreSQL, both with the embedded broker.</summary>
public sealed class BothDatabasesFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;
    public string PostgresDatabase { get; private set; } = "";
    public Dictionary<string, CompanionProcess> Companions { get; } = new();

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        PostgresDatabase = await Postgres.CreateDatabaseAsync();
        Companions["sqlite"] = await CompanionProcess.StartAsync();
        Companions["postgres"] = await CompanionProcess.StartAsync(new Dictionary<string, string>
        {
            ["Database:Provider"] = "postgres", ["Database:ConnectionString"] = PostgresDatabase,
        });
    }

    public Task DisposeAsync()
    {
        foreach (var c in Companions.Values)
        {
            c.Dispose();
        }

        Postgres.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>Daily rollups: counted once, in the site's local day, and what the stats, agent and error answers are built from.</summary>
public sealed class RollupTests(BothDatabasesFixture fixture) : IClassFixture<BothDatabasesFixture>
{
    private static long At(string iso) => DateTimeOffset.Parse(iso).ToUnixTimeMilliseconds();

    private static List<JsonElement> Rows(JsonElement page) => page.GetProperty("rows").EnumerateArray().ToList();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ACallCountsOnceInTheLocalDayOfItsSiteAndIsRecountedWhenTheZoneChanges(string db)
    {
        var companion = fixture.Companions[db];
        string site = "tampere-" + db;
        Assert.Equal(HttpStatusCode.OK, (await companion.Http.PutAsJsonAsync($"/api/sites/{site}", new { timeZone = "Europe/Helsinki" })).StatusCode);
        string password = await Api.RegisterAsync(companion.Http, "zone-" + db, agent: "zone-agent-" + db, site: site);
        await using (var device = await DeviceClient.ConnectAsync(companion.MqttPort, "zone-" + db, password))
        {
            // 23:30 UTC is 01:30 the next day in Helsinki (UTC+2 in January). Sent twice: a redelivery.
            await device.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 3, startUnixMs: At("2026-01-14T23:30:00Z")));
            await device.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 3, startUnixMs: At("2026-01-14T23:30:00Z")));
            await device.PublishAsync(Topics.Call, DeviceClient.Call(2, interruptions: 1, startUnixMs: At("2026-01-14T12:00:00Z")));
        }

        string query = $"/api/stats?by=site&site={site}&period=day&from=2026-01-01&to=2026-01-31";
        var page = await Api.GetAsync(companion.Http, query);
        Assert.Equal("Europe/Helsinki", page.GetProperty("timeZone").GetString());
        var days = Rows(page).ToDictionary(r => r.GetProperty("periodStart").GetString()!, r => r.GetProperty("calls").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["2026-01-15"] = 1, ["2026-01-14"] = 1 }, days);
        // Newest first, and the 15th's previous period is the 14th.
        var newest = Rows(page)[0];
        Assert.Equal("2026-01-15", newest.GetProperty("periodStart").GetString());
        Assert.Equal(1.0, newest.GetProperty("previous").GetProperty("interruptionsPerCall").GetDouble());
        Assert.Equal(3.0, newest.GetProperty("interruptionsPerCall").GetDouble());

        // The same calls counted in UTC days: both on the 14th.
        Assert.Equal(HttpStatusCode.OK, (await companion.Http.PutAsJsonAsync($"/api/sites/{site}", new { timeZone = "UTC" })).StatusCode);
        var utc = Rows(await Api.GetAsync(companion.Http, query));
        Assert.Equal("2026-01-14", Assert.Single(utc).GetProperty("periodStart").GetString());
        Assert.Equal(2, utc[0].GetProperty("calls").GetInt64());
        Assert.Equal(2.0, utc[0].GetProperty("interruptionsPerCall").GetDouble());

        // Month and week group the same days.
        var month = Rows(await Api.GetAsync(companion.Http, query.Replace("period=day", "period=month")));
        Assert.Equal("2026-01-01", Assert.Single(month).GetProperty("periodStart").GetString());
        var week = Rows(await Api.GetAsync(companion.Http, query.Replace("period=day", "period=week")));
        Assert.Equal("2026-01-12", Assert.Single(week).GetProperty("periodStart").GetString());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task WeeksAndMonthsCountEachCallOnceInTheSitesZoneWholeOrPartialAndAreRecountedWhenTheZoneChanges(string db)
    {
        var companion = fixture.Companions[db];
        string site = "weeks-site-" + db, team = "weeks-team-" + db, a = "weeks-a-" + db, b = "weeks-b-" + db;
        Assert.Equal(HttpStatusCode.OK, (await companion.Http.PutAsJsonAsync($"/api/sites/{site}", new { timeZone = "Europe/Helsinki" })).StatusCode);
        string pa = await Api.RegisterAsync(companion.Http, a, agent: a, team: team, site: site);
        string pb = await Api.RegisterAsync(companion.Http, b, agent: b, team: team, site: site);
        await using (var da = await DeviceClient.ConnectAsync(companion.MqttPort, a, pa))
        await using (var dbDevice = await DeviceClient.ConnectAsync(companion.MqttPort, b, pb))
        {
            // Sunday 18 Jan 22:30 UTC is Monday 19 Jan 00:30 in Helsinki: the next week there. Sent twice: a redelivery.
            await da.PublishAsync(Topics.Call, DeviceClient.Call(1, startUnixMs: At("2026-01-18T22:30:00Z")));
            await da.PublishAsync(Topics.Call, DeviceClient.Call(1, startUnixMs: At("2026-01-18T22:30:00Z")));
            // Saturday 31 Jan 22:30 UTC is 1 February in Helsinki: the next month there.
            await da.PublishAsync(Topics.Call, DeviceClient.Call(2, startUnixMs: At("2026-01-31T22:30:00Z")));
            await da.PublishAsync(Topics.Call, DeviceClient.Call(3, startUnixMs: At("2026-01-13T10:00:00Z")));
            await dbDevice.PublishAsync(Topics.Call, DeviceClient.Call(1, startUnixMs: At("2026-01-20T10:00:00Z")));
        }

        async Task<Dictionary<string, long>> Calls(string query) =>
            Rows(await Api.GetAsync(companion.Http, "/api/stats?" + query))
                .ToDictionary(r => $"{r.GetProperty("key").GetString()} {r.GetProperty("periodStart").GetString()}", r => r.GetProperty("calls").GetInt64());

        // Whole weeks (Monday 5 Jan to Sunday 8 Feb), per agent and per team.
        string agentWeeks = $"by=agent&team={team}&period=week&from=2026-01-05&to=2026-02-08";
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-12"] = 1, [$"{a} 2026-01-19"] = 1, [$"{a} 2026-01-26"] = 1, [$"{b} 2026-01-19"] = 1 },
            await Calls(agentWeeks));
        string teamWeeks = $"by=team&site={site}&period=week&from=2026-01-05&to=2026-02-08";
        Assert.Equal(new Dictionary<string, long> { [$"{team} 2026-01-12"] = 1, [$"{team} 2026-01-19"] = 2, [$"{team} 2026-01-26"] = 1 },
            await Calls(teamWeeks));
        // A week cut short by 'to' (Monday 19th) counts its days up to then only: b's Tuesday call is not in it.
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-12"] = 1, [$"{a} 2026-01-19"] = 1 },
            await Calls($"by=agent&team={team}&period=week&from=2026-01-14&to=2026-01-19"));
        Assert.Equal(new Dictionary<string, long> { [$"{team} 2026-01-19"] = 1 },
            await Calls($"by=team&site={site}&period=week&from=2026-01-19&to=2026-01-19"));
        string months = $"by=agent&team={team}&period=month&from=2026-01-01&to=2026-02-28";
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-01"] = 2, [$"{a} 2026-02-01"] = 1, [$"{b} 2026-01-01"] = 1 }, await Calls(months));
        Assert.Equal(new Dictionary<string, long> { [$"{team} 2026-01-01"] = 3, [$"{team} 2026-02-01"] = 1 },
            await Calls($"by=team&site={site}&period=month&from=2026-01-01&to=2026-02-28"));
        // A month cut short: February up to the 1st only, from days.
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-01"] = 2, [$"{a} 2026-02-01"] = 1, [$"{b} 2026-01-01"] = 1 },
            await Calls($"by=agent&team={team}&period=month&from=2026-01-01&to=2026-02-01"));
        // January cut short on Tuesday 20th: the whole weeks of the 5th and 12th, then days 1-4 and 19-20, as one sum each.
        string partialMonth = $"by=agent&team={team}&period=month&from=2026-01-01&to=2026-01-20";
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-01"] = 2, [$"{b} 2026-01-01"] = 1 }, await Calls(partialMonth));
        Assert.Equal(new Dictionary<string, long> { [$"{team} 2026-01-01"] = 3 }, await Calls($"by=team&site={site}&period=month&from=2026-01-01&to=2026-01-20"));
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-01"] = 2 }, await Calls(partialMonth.Replace("to=2026-01-20", "to=2026-01-19")));

        // In UTC the Sunday call is back in the week of the 12th and the Saturday call in January.
        Assert.Equal(HttpStatusCode.OK, (await companion.Http.PutAsJsonAsync($"/api/sites/{site}", new { timeZone = "UTC" })).StatusCode);
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-12"] = 2, [$"{a} 2026-01-26"] = 1, [$"{b} 2026-01-19"] = 1 }, await Calls(agentWeeks));
        Assert.Equal(new Dictionary<string, long> { [$"{team} 2026-01-12"] = 2, [$"{team} 2026-01-19"] = 1, [$"{team} 2026-01-26"] = 1 },
            await Calls(teamWeeks));
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-01"] = 3, [$"{b} 2026-01-01"] = 1 }, await Calls(months));
        Assert.Equal(new Dictionary<string, long> { [$"{a} 2026-01-01"] = 2, [$"{b} 2026-01-01"] = 1 }, await Calls(partialMonth));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AnAgentsAlertsArePagedByTheApiAndOnlyTheirs(string db)
    {
        var companion = fixture.Companions[db];
        string mine = "alerts-mine-" + db, other = "alerts-other-" + db;
        string pa = await Api.RegisterAsync(companion.Http, mine, agent: mine);
        string pb = await Api.RegisterAsync(companion.Http, other, agent: other);
        long start = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds();
        await using (var a = await DeviceClient.ConnectAsync(companion.MqttPort, mine, pa))
        await using (var b = await DeviceClient.ConnectAsync(companion.MqttPort, other, pb))
        {
            for (int i = 1; i <= 60; i++)
            {
                await a.PublishAsync(Topics.Alert, Alert(i, start + i * 1000));
                await b.PublishAsync(Topics.Alert, Alert(i, start + i * 1000));
            }

            // Older than the default week: only with an explicit range.
            await a.PublishAsync(Topics.Alert, Alert(61, start - 10L * 86_400_000));
        }

        var first = await Api.GetAsync(companion.Http, $"/api/agents/{mine}/alerts?limit=25");
        Assert.Equal(60, first.GetProperty("total").GetInt64());
        var items = first.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(25, items.Count);
        Assert.All(items, i => Assert.Equal(mine, i.GetProperty("agent").GetString()));
        Assert.Equal(60, items[0].GetProperty("seq").GetInt64());
        Assert.EndsWith("Z", items[0].GetProperty("ts").GetString()!.Replace("+00:00", "Z"));

        var last = await Api.GetAsync(companion.Http, $"/api/agents/{mine}/alerts?limit=25&offset=50");
        Assert.Equal(10, last.GetProperty("items").GetArrayLength());

        string from = DateTimeOffset.FromUnixTimeMilliseconds(start - 11L * 86_400_000).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var wide = await Api.GetAsync(companion.Http, $"/api/agents/{mine}/alerts?from={from}&limit=1");
        Assert.Equal(61, wide.GetProperty("total").GetInt64());

        var csv = await companion.Http.GetStringAsync($"/api/agents/{mine}/alerts?limit=1&format=csv");
        Assert.Matches(@"\r\n[^\r]*,\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", csv);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ConfigurationVersionsInForceAreListedAndMarkedOnTheAgentsTrend(string db)
    {
        var companion = fixture.Companions[db];
        string id = "cfg-agent-" + db;
        string password = await Api.RegisterAsync(companion.Http, id, agent: id);
        await using (var device = await DeviceClient.ConnectAsync(companion.MqttPort, id, password))
        {
            await device.PublishAsync(Topics.Call, DeviceClient.Call(1, startUnixMs: At("2026-03-02T10:00:00Z"), configVersion: 1));
            await device.PublishAsync(Topics.Call, DeviceClient.Call(2, startUnixMs: At("2026-03-03T10:00:00Z"), configVersion: 1));
            await device.PublishAsync(Topics.Call, DeviceClient.Call(3, startUnixMs: At("2026-03-05T10:00:00Z"), configVersion: 2));
        }

        var history = await Api.GetAsync(companion.Http, $"/api/agents/{id}/config?from=2026-03-01&to=2026-03-31");
        Assert.Equal(3, history.GetProperty("days").GetArrayLength());
        var change = Assert.Single(history.GetProperty("changes").EnumerateArray());
        Assert.Equal("2026-03-05", change.GetProperty("date").GetString());
        Assert.Equal($"{id} v2", Assert.Single(change.GetProperty("versions").EnumerateArray()).GetString());

        var chart = await companion.Http.GetStringAsync($"/api/charts/trend.svg?by=agent&agent={id}&from=2026-03-01&to=2026-03-31&metric=dead_air");
        Assert.Contains("class=\"config-change\"", chart);
        Assert.Contains("Configuration changed (2026-03-05)", chart);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AgentsAreRankedWithinATeamAndTheMedianGapComesFromTheHistogram(string db)
    {
        var companion = fixture.Companions[db];
        string team = "rank-team-" + db;
        var interruptions = new Dictionary<string, int> { ["rank-a-" + db] = 1, ["rank-b-" + db] = 5, ["rank-c-" + db] = 3 };
        foreach (var (agent, count) in interruptions)
        {
            string password = await Api.RegisterAsync(companion.Http, agent, agent: agent, team: team);
            await using var device = await DeviceClient.ConnectAsync(companion.MqttPort, agent, password);
            // Gap medians 300, 600, 900 ms: the median call's is 600 ms.
            for (int i = 1; i <= 3; i++)
            {
                await device.PublishAsync(Topics.Call, DeviceClient.Call(i, interruptions: count, startUnixMs: At("2026-02-10T09:00:00Z") + i * 60_000, gapMedianMs: 300 * i));
            }
        }

        var ranking = await Api.GetAsync(companion.Http, $"/api/ranking?team={team}&metric=interruptions&from=2026-02-01&to=2026-02-28");
        var agents = ranking.GetProperty("agents").EnumerateArray().ToList();
        Assert.Equal(new[] { "rank-b-" + db, "rank-c-" + db, "rank-a-" + db }, agents.Select(a => a.GetProperty("agent").GetString()));
        Assert.Equal(new[] { 1, 2, 3 }, agents.Select(a => a.GetProperty("rank").GetInt32()));
        double gap = agents[0].GetProperty("figures").GetProperty("responseGapSeconds").GetDouble();
        Assert.InRange(gap, 0.5, 0.75);
    }

    [Fact]
    public async Task BadValuesAnswerProblemJsonThatSaysWhatWasExpected()
    {
        var http = fixture.Companions["sqlite"].Http;
        foreach (var (path, expected) in new[]
        {
            ("/api/stats?from=1767225600000", "'from' must be an ISO 8601 date such as 2026-01-31 (got '1767225600000')"),
            ("/api/stats?period=year", "'period' must be day, week or month (got 'year')"),
            ("/api/stats?from=2026-02-01&to=2026-01-01", "is after 'to'"),
            ("/api/calls?from=yesterday", "'from' must be an ISO 8601 date-time"),
            ("/api/calls?limit=abc", "limit"),
            ("/api/ranking?metric=happiness", "'metric' must be one of"),
            ("/api/agents/x/alerts?limit=5000", "'limit' must be between 1 and 1000"),
        })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
            Assert.Contains(expected, detail);
        }

        var zone = await http.PutAsJsonAsync("/api/sites/mars", new { timeZone = "Mars/Olympus_Mons" });
        Assert.Equal(HttpStatusCode.BadRequest, zone.StatusCode);
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", await zone.Content.ReadAsStringAsync());

        using var anonymous = new HttpClient { BaseAddress = fixture.Companions["sqlite"].BaseAddress };
        var denied = await anonymous.GetAsync("/api/stats");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("application/problem+json", denied.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task OpenApiHasSummariesResponseSchemasAndSecuritySchemes()
    {
        var doc = JsonDocument.Parse(await fixture.Companions["sqlite"].Http.GetStringAsync("/openapi/v1.json")).RootElement;
        var schemes = doc.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("basic", schemes.GetProperty("basic").GetProperty("scheme").GetString());
        Assert.Equal("cookie", schemes.GetProperty("cookie").GetProperty("in").GetString());
        var stats = doc.GetProperty("paths").GetProperty("/api/stats").GetProperty("get");
        Assert.False(string.IsNullOrEmpty(stats.GetProperty("summary").GetString()));
        Assert.True(stats.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(doc.GetProperty("components").GetProperty("schemas").TryGetProperty("StatsPage", out _));
    }

    [Fact]
    public async Task TheMigrationBuildsRollupsFromCallsStoredBeforeIt()
    {
        // A database as the previous version left it: calls, and no rollups.
        string database = await fixture.Postgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string> { ["Database:Provider"] = "postgres", ["Database:ConnectionString"] = database };
        using (await CompanionProcess.StartAsync(settings))
        {
        }

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                DROP TABLE agent_days; DROP TABLE device_days; DROP TABLE sites;
                DROP TABLE agent_weeks; DROP TABLE agent_months; DROP TABLE team_days; DROP TABLE team_weeks; DROP TABLE team_months; DROP INDEX alerts_agent;
                DROP TABLE config_groups; DROP TABLE calibrations; DROP TABLE firmware_images; DROP TABLE rollouts; DROP TABLE rollout_devices;
                ALTER TABLE devices DROP COLUMN config_overrides;
                DELETE FROM schema_version WHERE version >= 3;
                INSERT INTO calls SELECT 'old-desk', s, 1, 'old-agent', 'old-team', 'old-site', 1767261600000 + s * 60000, 0, 0, 60000,
                  20000, 30000, 500, 0, s % 3, 2, 0, 1, 6000, 6000, 0, 0, 0, 3, 600, 400, 1 FROM generate_series(1, 90) s;
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        using var migrated = await CompanionProcess.StartAsync(settings);
        var row = Assert.Single(Rows(await Api.GetAsync(migrated.Http, "/api/stats?by=agent&period=month&from=2026-01-01&to=2026-01-31")));
        Assert.Equal("old-agent", row.GetProperty("key").GetString());
        Assert.Equal(90, row.GetProperty("calls").GetInt64());
        Assert.Equal(1.0, row.GetProperty("interruptionsPerCall").GetDouble(), 6);
        // The per-team weekly rollup was built too: the calls are on Thursday 1 January 2026, in the week from 29 December.
        var week = Assert.Single(Rows(await Api.GetAsync(migrated.Http, "/api/stats?by=team&period=week&from=2025-12-29&to=2026-01-04")));
        Assert.Equal("old-team", week.GetProperty("key").GetString());
        Assert.Equal(90, week.GetProperty("calls").GetInt64());
    }

    private static string Alert(long seq, long unixMs) =>
        new AlertMessage { Seq = seq, CallNumber = 1, UnixMs = unixMs, AtMs = 5000, Type = EventType.Interruption, Stage = 1 }.ToJson();
}
