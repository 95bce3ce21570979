using System.Net.Http.Json;
using System.Text.Json;

namespace Kuulo.TestSupport;

/// <summary>Reads figures from a running companion: one value of its /metrics text, or the calls it has stored.</summary>
public static class Metrics
{
    public static async Task<long> ReadAsync(HttpClient http, string name)
    {
        var text = await http.GetStringAsync("/metrics");
        var line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return long.Parse(line[(name.Length + 1)..]);
    }

    /// <summary>
    /// Calls stored, as the daily rollups count them (each stored call once, whatever was redelivered): /metrics
    /// counts no tables, so a scrape stays cheap at any size.
    /// </summary>
    public static async Task<long> StoredCallsAsync(HttpClient http)
    {
        var stats = await http.GetFromJsonAsync<JsonElement>(
            $"/api/stats?by=site&period=month&from={DateTime.UtcNow.AddYears(-1):yyyy-MM-dd}&to={DateTime.UtcNow.AddYears(1):yyyy-MM-dd}");
        return stats.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("calls").GetInt64());
    }
}
