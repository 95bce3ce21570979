using System.Globalization;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>
/// Reads query-string values the way the API documents them, and refuses anything else with a message that says
/// what was expected: the refusal becomes a 400 problem+json (see <see cref="Problems"/>).
/// </summary>
public static class QueryValues
{
    private static readonly string[] DateFormats = { "yyyy-MM-dd" };

    /// <summary>A local calendar day: an ISO 8601 date (2026-01-31), or the date part of an ISO 8601 date-time.</summary>
    public static int? Day(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return LocalDays.FromDate(date);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) && value.Contains('T'))
        {
            return LocalDays.FromDate(DateOnly.FromDateTime(moment.DateTime));
        }

        throw Bad($"'{name}' must be an ISO 8601 date such as 2026-01-31 (got '{value}')");
    }

    /// <summary>
    /// An instant: an ISO 8601 date-time with an offset (2026-01-31T08:00:00Z, 2026-01-31T10:00+02:00), or a date,
    /// meaning the start of that day in <paramref name="zone"/>.
    /// </summary>
    public static long? Instant(string name, string? value, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return LocalDays.StartOf(LocalDays.FromDate(date), zone).ToUnixTimeMilliseconds();
        }

        if (value.Contains('T') && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment))
        {
            return moment.ToUnixTimeMilliseconds();
        }

        throw Bad($"'{name}' must be an ISO 8601 date-time such as 2026-01-31T08:00:00Z or a date such as 2026-01-31 (got '{value}')");
    }

    /// <summary>One of <paramref name="allowed"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string Choice(string name, string? value, string fallback, params string[] allowed)
    {
        value ??= fallback;
        return allowed.Contains(value) ? value : throw Bad($"'{name}' must be {string.Join(", ", allowed.SkipLast(1))} or {allowed[^1]} (got '{value}')");
    }

    public static int Range(string name, int? value, int fallback, int min, int max)
    {
        int v = value ?? fallback;
        return v >= min && v <= max ? v : throw Bad($"'{name}' must be between {min} and {max} (got {v})");
    }

    public static BadHttpRequestException Bad(string message) => new(message, StatusCodes.Status400BadRequest);
}
