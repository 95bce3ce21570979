using Kuulo.Companion.Auth;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>/api/calls, /api/stats, /api/alerts: what supervisors coach from.</summary>
public static class StatsEndpoints
{
    private const long Day = 86_400_000;
    // Unix day 0 was a Thursday; shifting by three days starts weeks on Monday.
    private const long MondayOffset = 3 * Day;

    public static void MapStatsApi(this WebApplication app)
    {
        var api = app.MapGroup("/api").WithTags("stats").RequireAuthorization(Roles.ReadStats);

        api.MapGet("/calls", async (SqlStore store, HttpRequest request, string? device, string? agent, string? team, string? site,
            DateTimeOffset? from, DateTimeOffset? to, int? limit) =>
        {
            var rows = await store.QueryCallsAsync(Filter(device, agent, team, site, from, to, limit ?? 500));
            return Csv.Wanted(request) ? Csv.File(rows, "calls") : Results.Ok(rows);
        }).AllowOnly("device", "agent", "team", "site", "from", "to", "limit", "format");

        api.MapGet("/stats", async (SqlStore store, HttpRequest request, string? by, string? period, string? agent, string? team,
            string? site, DateTimeOffset? from, DateTimeOffset? to) =>
        {
            string? column = by switch { "agent" => "agent", "team" => "team", "site" => "site", null => "agent", _ => null };
            if (column == null)
            {
                return Results.Problem($"'by' must be agent, team or site (got '{by}')", statusCode: 400);
            }

            (long length, long offset)? bucket = period switch { "day" or null => (Day, 0), "week" => (7 * Day, MondayOffset), _ => null };
            if (bucket == null)
            {
                return Results.Problem($"'period' must be day or week (got '{period}')", statusCode: 400);
            }

            var rows = await store.AggregateAsync(column, bucket.Value.length, bucket.Value.offset, Filter(null, agent, team, site, from, to, 10_000));
            return Csv.Wanted(request) ? Csv.File(rows, $"stats-by-{column}") : Results.Ok(rows);
        }).AllowOnly("by", "period", "agent", "team", "site", "from", "to", "format");

        api.MapGet("/charts/trend.svg", async (SqlStore store, string? by, string? period, string? metric, string? agent, string? team,
            string? site, DateTimeOffset? from, DateTimeOffset? to) =>
        {
            string? column = by switch { "agent" => "agent", "team" => "team", "site" => "site", null => "team", _ => null };
            var chosen = TrendChart.Metrics.FirstOrDefault(m => m.Name == (metric ?? "interruptions"));
            if (column == null || chosen == null || period is not (null or "day" or "week"))
            {
                return Results.Problem("by must be agent|team|site, period day|week, metric one of "
                    + string.Join(", ", TrendChart.Metrics.Select(m => m.Name)), statusCode: 400);
            }

            bool weekly = period == "week";
            var rows = await store.AggregateAsync(column, weekly ? 7 * Day : Day, weekly ? MondayOffset : 0, Filter(null, agent, team, site, from, to, 10_000));
            return Results.Text(TrendChart.Render(rows, chosen, weekly), "image/svg+xml");
        }).AllowOnly("by", "period", "metric", "agent", "team", "site", "from", "to");

        // The live floor: who is on a call now, for supervisors (the device list itself is for facilities).
        api.MapGet("/floor", async (SqlStore store) => (await store.ListDevicesAsync()).Select(d => new
        {
            d.Agent, d.Team, d.Site, d.Desk, d.Online, d.InCall, d.LastSeenMs,
        }));

        api.MapGet("/alerts", async (SqlStore store, HttpRequest request, TimeProvider clock, int? seconds) =>
        {
            long since = clock.GetUtcNow().ToUnixTimeMilliseconds() - 1000L * Math.Clamp(seconds ?? 300, 1, 7 * 24 * 3600);
            var rows = await store.AlertsSinceAsync(since, 1000);
            return Csv.Wanted(request) ? Csv.File(rows, "alerts") : Results.Ok(rows);
        }).AllowOnly("seconds", "format");
    }

    private static CallFilter Filter(string? device, string? agent, string? team, string? site, DateTimeOffset? from, DateTimeOffset? to, int limit) =>
        new(device, agent, team, site, from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds(), Math.Clamp(limit, 1, 100_000));
}
