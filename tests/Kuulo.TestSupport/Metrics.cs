namespace Kuulo.TestSupport;

/// <summary>Reads one value from the companion's /metrics text.</summary>
public static class Metrics
{
    public static async Task<long> ReadAsync(HttpClient http, string name)
    {
        var text = await http.GetStringAsync("/metrics");
        var line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return long.Parse(line[(name.Length + 1)..]);
    }
}
