using System.Net.Http.Json;
using System.Text.Json;

namespace Kuulo.Companion.Tests;

/// <summary>Small helpers over the companion's HTTP API.</summary>
internal static class Api
{
    public static async Task<string> RegisterAsync(HttpClient http, string id, string agent = "aino", string team = "blue", string site = "tampere")
    {
        var response = await http.PostAsJsonAsync("/api/devices", new { id, site, team, desk = "d-" + id, agent });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("password").GetString()!;
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Polls until the device has <paramref name="count"/> stored calls (or fails after the timeout).</summary>
    public static async Task<JsonElement> WaitForCallsAsync(HttpClient http, string device, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        JsonElement calls;
        do
        {
            calls = await GetAsync(http, $"/api/calls?device={device}&limit=100000");
            if (calls.GetArrayLength() >= count)
            {
                return calls;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        return calls;
    }

    public static Task<long> MetricAsync(HttpClient http, string name) => Kuulo.TestSupport.Metrics.ReadAsync(http, name);
}
