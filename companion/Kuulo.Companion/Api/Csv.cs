using System.Globalization;
using System.Reflection;
using System.Text;

namespace Kuulo.Companion.Api;

/// <summary>CSV export of any list of rows: one column per public property, invariant culture, RFC 4180 quoting.</summary>
public static class Csv
{
    public static IResult File<T>(IEnumerable<T> rows, string name)
    {
        // Nested objects (a row's previous period) are for JSON; CSV keeps one flat row per item.
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => Flat(p.PropertyType)).ToArray();
        var text = new StringBuilder();
        text.AppendJoin(',', properties.Select(p => Quote(Snake(p.Name)))).Append("\r\n");
        foreach (var row in rows)
        {
            text.AppendJoin(',', properties.Select(p => Quote(Format(p.GetValue(row))))).Append("\r\n");
        }

        return Results.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", name + ".csv");
    }

    /// <summary>True when the caller asked for CSV (?format=csv).</summary>
    public static bool Wanted(HttpRequest request) => string.Equals(request.Query["format"], "csv", StringComparison.OrdinalIgnoreCase);

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("0.####", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool Flat(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(decimal);
    }

    private static string Quote(string value)
    {
        // A leading =, +, - or @ would be run as a formula by spreadsheet programs.
        if (value.Length > 0 && "=+-@".Contains(value[0]) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.IndexOfAny(new[] { ',', '"', '\r', '\n' }) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
