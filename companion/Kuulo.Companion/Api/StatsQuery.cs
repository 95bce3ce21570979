using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>
/// What a stats request asks for, checked: the grouping, the period, and the local days it covers (by default the
/// last 30, up to today in the site's zone, or the default zone when no site is chosen).
/// </summary>
public sealed record StatsQuery(string By, Period Period, Rollups.Filter Filter, TimeZoneInfo Zone)
{
    public const int DefaultDays = 30;

    /// <summary>Longest range one request may cover, so one request cannot ask the database for decades.</summary>
    public const int MaxDays = 3 * 366;

    public string PeriodName => Period.ToString().ToLowerInvariant();

    public static async Task<StatsQuery> ResolveAsync(SqlStore store, TimeProvider clock, string? by, string defaultBy, string? period,
        string? agent, string? team, string? site, string? from, string? to)
    {
        string column = QueryValues.Choice("by", by, defaultBy, "agent", "team", "site");
        var chosen = QueryValues.Choice("period", period, "day", "day", "week", "month") switch
        {
            "week" => Period.Week,
            "month" => Period.Month,
            _ => Period.Day,
        };
        var zone = site != null ? await store.ZoneOfAsync(site) : store.DefaultZone;
        int last = QueryValues.Day("to", to) ?? LocalDays.Today(clock, zone);
        int first = QueryValues.Day("from", from) ?? last - (DefaultDays - 1);
        if (first > last)
        {
            throw QueryValues.Bad($"'from' ({LocalDays.ToDate(first):yyyy-MM-dd}) is after 'to' ({LocalDays.ToDate(last):yyyy-MM-dd})");
        }

        if (last - first >= MaxDays)
        {
            throw QueryValues.Bad($"the range may cover at most {MaxDays} days (got {last - first + 1})");
        }

        return new StatsQuery(column, chosen, new Rollups.Filter(agent, team, site, first, last), zone);
    }
}
