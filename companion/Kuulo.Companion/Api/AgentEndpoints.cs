using Kuulo.Companion.Auth;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>/api/agents/{agent}/...: what the agent page shows besides the calls and the trend.</summary>
public static class AgentEndpoints
{
    public sealed record AlertPage(string Agent, DateTimeOffset From, DateTimeOffset To, long Total, int Offset, int Limit, IReadOnlyList<AlertRow> Items);

    public sealed record ConfigVersion(DateOnly Date, string DeviceId, int Version, long Calls);

    public sealed record ConfigHistory(string Agent, DateOnly From, DateOnly To, IReadOnlyList<ConfigVersion> Days,
        IReadOnlyList<StatsEndpoints.ConfigChange> Changes);

    public static void MapAgentApi(this WebApplication app)
    {
        var agents = app.MapGroup("/api/agents/{agent}").WithTags("stats").RequireAuthorization(Roles.ReadStats);

        agents.MapGet("/alerts", async (string agent, SqlStore store, TimeProvider clock, HttpRequest request, string? from, string? to,
            int? offset, int? limit) =>
        {
            long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            long end = QueryValues.Instant("to", to, store.DefaultZone) ?? now + 1;
            long start = QueryValues.Instant("from", from, store.DefaultZone) ?? end - 7 * 86_400_000L;
            if (start >= end)
            {
                throw QueryValues.Bad("'from' must be before 'to'");
            }

            int skip = QueryValues.Range("offset", offset, 0, 0, int.MaxValue), take = QueryValues.Range("limit", limit, 50, 1, 1000);
            var (total, items) = await store.AgentAlertsAsync(agent, start, end, skip, take);
            return Csv.Wanted(request) ? Csv.File(items, $"alerts-{agent}")
                : Results.Ok(new AlertPage(agent, DateTimeOffset.FromUnixTimeMilliseconds(start), DateTimeOffset.FromUnixTimeMilliseconds(end), total, skip, take, items));
        }).WithSummary("One agent's alerts raised in [from, to) (default: the last 7 days), newest first, paged")
            .Produces<AlertPage>(StatusCodes.Status200OK, "application/json", "text/csv").ProducesProblem(400)
            .AllowOnly("from", "to", "offset", "limit", "format");

        agents.MapGet("/config", async (string agent, SqlStore store, TimeProvider clock, string? from, string? to) =>
        {
            var q = await StatsQuery.ResolveAsync(store, clock, "agent", "agent", "day", agent, null, null, from, to);
            var days = await store.ConfigDaysAsync(agent, q.Filter.FromDay, q.Filter.ToDay);
            return Results.Ok(new ConfigHistory(agent, LocalDays.ToDate(q.Filter.FromDay), LocalDays.ToDate(q.Filter.ToDay),
                days.Select(d => new ConfigVersion(LocalDays.ToDate(d.Day), d.DeviceId, d.Cfg, d.Calls)).ToList(), StatsEndpoints.ConfigChanges(days)));
        }).WithSummary("The desk configuration versions in force for an agent's calls per local day, and the days they changed")
            .Produces<ConfigHistory>().ProducesProblem(400).AllowOnly("from", "to");
    }
}
