namespace Kuulo.Companion.Storage;

/// <summary>
/// Calendar days in a site's own time zone, as whole days since 1970-01-01: what rollups are keyed by, so a call at
/// 00:30 in Tampere counts for that Tampere day, whatever the server's zone.
/// </summary>
public static class LocalDays
{
    private static readonly int EpochDayNumber = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>The zone for an IANA id (e.g. Europe/Helsinki), or null with the reason.</summary>
    public static TimeZoneInfo? Zone(string? id, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            error = "a time zone is required (an IANA name such as Europe/Helsinki)";
            return null;
        }

        if (TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone))
        {
            return zone;
        }

        error = $"unknown time zone '{id}': use an IANA name such as Europe/Helsinki or America/New_York";
        return null;
    }

    public static int DayOf(long unixMs, TimeZoneInfo zone) =>
        FromDate(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), zone).DateTime));

    public static int Today(TimeProvider clock, TimeZoneInfo zone) => DayOf(clock.GetUtcNow().ToUnixTimeMilliseconds(), zone);

    public static int FromDate(DateOnly date) => date.DayNumber - EpochDayNumber;

    public static DateOnly ToDate(int day) => DateOnly.FromDayNumber(day + EpochDayNumber);

    /// <summary>The Monday on or before <paramref name="day"/> (day 0, 1970-01-01, was a Thursday).</summary>
    public static int WeekStart(int day) => day - (day + 3) % 7;

    public static int MonthStart(int day)
    {
        var date = ToDate(day);
        return FromDate(new DateOnly(date.Year, date.Month, 1));
    }

    /// <summary>The first day of the period holding <paramref name="day"/>.</summary>
    public static int PeriodStart(Period period, int day) => period switch
    {
        Period.Week => WeekStart(day),
        Period.Month => MonthStart(day),
        _ => day,
    };

    /// <summary>The first day of the period after the one holding <paramref name="day"/>.</summary>
    public static int NextPeriodStart(Period period, int day) => period switch
    {
        Period.Week => WeekStart(day) + 7,
        Period.Month => FromDate(ToDate(MonthStart(day)).AddMonths(1)),
        _ => day + 1,
    };

    /// <summary>The first day of the period before the one starting at <paramref name="start"/>.</summary>
    public static int PreviousPeriodStart(Period period, int start) => period switch
    {
        Period.Week => start - 7,
        Period.Month => FromDate(ToDate(start).AddMonths(-1)),
        _ => start - 1,
    };

    /// <summary>The instant a local day begins in a zone (for clocks that skip midnight, the first instant of that day).</summary>
    public static DateTimeOffset StartOf(int day, TimeZoneInfo zone)
    {
        var midnight = ToDate(day).ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(15);
        }

        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }
}

public enum Period
{
    Day,
    Week,
    Month,
}
