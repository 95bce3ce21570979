using Kuulo.Companion.Auth;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>/api/calls, /api/stats, /api/ranking, the trend chart and /api/alerts: what supervisors coach from.</summary>
public static class StatsEndpoints
{
    /// <summary>A page of aggregate rows and what they cover: local days from..to (inclusive) in the named zone.</summary>
    public sealed record StatsPage(string By, string Period, DateOnly From, DateOnly To, string TimeZone, int Offset, int Limit, bool More,
        IReadOnlyList<AggregateRow> Rows);

    public sealed record RankedAgent(int Rank, string Agent, double Value, AggregateRow Figures);

    public sealed record Ranking(string Metric, string Label, DateOnly From, DateOnly To, string? Team, string? Site, IReadOnlyList<RankedAgent> Agents);

    public static void MapStatsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("stats").RequireAuthorization(Roles.ReadStats);

        api.MapGet("/calls", async (SqlStore store, HttpRequest request, string? device, string? agent, string? team, string? site,
            string? from, string? to, int? limit) =>
        {
            var zone = site != null ? await store.ZoneOfAsync(site) : store.DefaultZone;
            var rows = await store.QueryCallsAsync(new CallFilter(device, agent, team, site, QueryValues.Instant("from", from, zone),
                QueryValues.Instant("to", to, zone), QueryValues.Range("limit", limit, 500, 1, 100_000)));
            return Csv.Wanted(request) ? Csv.File(rows, "calls") : Results.Ok(rows);
        }).WithSummary("Stored calls, newest first (from/to: ISO 8601 date-times, or dates in the site's zone)")
            .Produces<List<CallRow>>(StatusCodes.Status200OK, "application/json", "text/csv").ProducesProblem(400)
            .AllowOnly("device", "agent", "team", "site", "from", "to", "limit", "format");

        api.MapGet("/stats", async (SqlStore store, TimeProvider clock, HttpRequest request, string? by, string? period, string? agent,
            string? team, string? site, string? from, string? to, int? offset, int? limit) =>
        {
            var q = await StatsQuery.ResolveAsync(store, clock, by, "team", period, agent, team, site, from, to);
            if (Csv.Wanted(request))
            {
                return Csv.File(await AggregateAsync(store, q), $"stats-by-{q.By}");
            }

            int skip = QueryValues.Range("offset", offset, 0, 0, 1_000_000), take = QueryValues.Range("limit", limit, 500, 1, 10_000);
            var rows = await AggregateAsync(store, q, needed: skip + take + 1);
            return Results.Ok(new StatsPage(q.By, q.PeriodName, LocalDays.ToDate(q.Filter.FromDay), LocalDays.ToDate(q.Filter.ToDay), q.Zone.Id,
                skip, take, rows.Count > skip + take, rows.Skip(skip).Take(take).ToList()));
        }).WithSummary("Figures per agent, team or site and per local day, week or month; newest first, each with the period before")
            .Produces<StatsPage>(StatusCodes.Status200OK, "application/json", "text/csv").ProducesProblem(400)
            .AllowOnly("by", "period", "agent", "team", "site", "from", "to", "offset", "limit", "format");

        api.MapGet("/ranking", async (SqlStore store, TimeProvider clock, string? metric, string? team, string? site, string? from, string? to) =>
        {
            var chosen = Metric(metric);
            var q = await StatsQuery.ResolveAsync(store, clock, "agent", "agent", "day", null, team, site, from, to);
            var agents = (await store.GroupAsync("agent", null, q.Filter)).Select(Figures.Row)
                .OrderByDescending(chosen.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select((r, i) => new RankedAgent(i + 1, r.Key, chosen.Value(r), r)).ToList();
            return Results.Ok(new Ranking(chosen.Name, chosen.Label, LocalDays.ToDate(q.Filter.FromDay), LocalDays.ToDate(q.Filter.ToDay), team, site, agents));
        }).WithSummary("Agents ranked by one metric over a range of local days, highest first, within a team or site")
            .Produces<Ranking>().ProducesProblem(400).AllowOnly("metric", "team", "site", "from", "to");

        api.MapGet("/charts/trend.svg", async (SqlStore store, TimeProvider clock, string? by, string? period, string? metric, string? agent,
            string? team, string? site, string? from, string? to) =>
        {
            var chosen = Metric(metric);
            var q = await StatsQuery.ResolveAsync(store, clock, by, "team", period, agent, team, site, from, to);
            var rows = await ChartRowsAsync(store, q);
            // On one agent's trend, mark the periods where the configuration in force changed: numbers may jump there.
            var marks = agent == null ? new List<DateOnly>()
                : ConfigChanges(await store.ConfigDaysAsync(agent, q.Filter.FromDay, q.Filter.ToDay))
                    .Select(day => LocalDays.ToDate(LocalDays.PeriodStart(q.Period, LocalDays.FromDate(day.Date)))).Distinct().ToList();
            return Results.Text(TrendChart.Render(rows, chosen, q.PeriodName, q.Zone.Id, marks), "image/svg+xml");
        }).WithSummary("SVG trend of one metric per agent, team or site; on an agent's trend, configuration changes are marked")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml").ProducesProblem(400)
            .AllowOnly("by", "period", "metric", "agent", "team", "site", "from", "to");

        // The live floor: who is on a call now, for supervisors (the device list itself is for facilities).
        api.MapGet("/floor", async (SqlStore store) => (await store.ListDevicesAsync()).Select(d => new FloorDesk(
            d.Agent, d.Team, d.Site, d.Desk, d.Online, d.InCall, d.LastSeenMs, d.LastSeenMs is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null)))
            .WithSummary("Every desk: agent, team, site, online, on a call").Produces<IEnumerable<FloorDesk>>();

        api.MapGet("/alerts", async (SqlStore store, HttpRequest request, TimeProvider clock, int? seconds, int? limit) =>
        {
            long since = clock.GetUtcNow().ToUnixTimeMilliseconds() - 1000L * QueryValues.Range("seconds", seconds, 300, 1, 7 * 24 * 3600);
            var rows = await store.AlertsSinceAsync(since, QueryValues.Range("limit", limit, 1000, 1, 1000));
            return Csv.Wanted(request) ? Csv.File(rows, "alerts") : Results.Ok(rows);
        }).WithSummary("The fleet's newest alerts received in the last N seconds (live floor)").Produces<List<AlertRow>>().ProducesProblem(400)
            .AllowOnly("seconds", "limit", "format");
    }

    public sealed record FloorDesk(string Agent, string Team, string Site, string Desk, bool Online, bool InCall, long? LastSeenMs, DateTimeOffset? LastSeen);

    public sealed record ConfigChange(DateOnly Date, IReadOnlyList<string> Versions);

    /// <summary>The days on which an agent's set of (device, configuration version) differs from the day before they last had calls.</summary>
    public static List<ConfigChange> ConfigChanges(IEnumerable<Rollups.ConfigDay> days)
    {
        var changes = new List<ConfigChange>();
        string? before = null;
        foreach (var day in days.GroupBy(d => d.Day).OrderBy(g => g.Key))
        {
            var versions = day.Select(d => $"{d.DeviceId} v{d.Cfg}").Order(StringComparer.Ordinal).ToList();
            string now = string.Join(", ", versions);
            if (before != null && now != before)
            {
                changes.Add(new ConfigChange(LocalDays.ToDate(day.Key), versions));
            }

            before = now;
        }

        return changes;
    }

    private static Figures.Metric Metric(string? name) =>
        Figures.Metrics.FirstOrDefault(m => m.Name == (name ?? "interruptions"))
        ?? throw QueryValues.Bad($"'metric' must be one of {Figures.MetricNames} (got '{name}')");

    /// <summary>
    /// Rows newest period first, each with the same key's previous period. With <paramref name="needed"/>, reads only
    /// as many of the newest periods as it takes to have that many rows (a page): the newest first, then as many as
    /// the rows per period seen so far say are needed, so the first page of a year of weeks reads a few weeks of
    /// rollups, not fifty-three.
    /// </summary>
    private static async Task<List<AggregateRow>> AggregateAsync(SqlStore store, StatsQuery q, int? needed = null)
    {
        var periods = new List<int>();
        for (int p = LocalDays.PeriodStart(q.Period, q.Filter.ToDay); p >= LocalDays.PeriodStart(q.Period, q.Filter.FromDay); p = LocalDays.PreviousPeriodStart(q.Period, p))
        {
            periods.Add(p);
        }

        for (int take = needed == null ? periods.Count : 1; ;)
        {
            int oldest = periods[Math.Min(take, periods.Count) - 1];
            var groups = await store.GroupAsync(q.By, q.Period, q.Filter with { FromDay = LocalDays.PreviousPeriodStart(q.Period, oldest) });
            // Separate objects for the previous periods, so a row's Previous has no Previous of its own.
            var previous = groups.Select(Figures.Row).ToDictionary(r => (r.Key, LocalDays.FromDate(r.PeriodStart)));
            var rows = groups.Where(g => g.PeriodStart >= oldest).Select(Figures.Row).ToList();
            if (take < periods.Count && rows.Count < needed)
            {
                take = rows.Count == 0 ? take * 4 : Math.Max(take + 1, (int)Math.Ceiling(1.25 * needed.Value * take / rows.Count));
                continue;
            }

            foreach (var row in rows)
            {
                row.Previous = previous.GetValueOrDefault((row.Key, LocalDays.PreviousPeriodStart(q.Period, LocalDays.FromDate(row.PeriodStart))));
            }

            return rows.OrderByDescending(r => r.PeriodStart).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The chart's series: the busiest keys of the newest period with calls, over the whole range.</summary>
    private static async Task<List<AggregateRow>> ChartRowsAsync(SqlStore store, StatsQuery q)
    {
        var newest = await AggregateAsync(store, q, needed: 1);
        var keys = newest.Where(r => r.PeriodStart == newest.FirstOrDefault()?.PeriodStart).OrderByDescending(r => r.Calls)
            .ThenBy(r => r.Key, StringComparer.Ordinal).Take(TrendChart.MaxSeries).Select(r => r.Key).ToList();
        return keys.Count == 0 ? newest : await AggregateAsync(store, q with { Filter = q.Filter with { Keys = keys } });
    }
}
