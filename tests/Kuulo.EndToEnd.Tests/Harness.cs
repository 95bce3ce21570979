using System.Net.Http.Json;
using System.Text.Json;
using Kuulo.Corpus;
using Kuulo.Desk.Unit;

namespace Kuulo.EndToEnd.Tests;

/// <summary>Conversations, short test calls and unit plumbing shared by the end-to-end tests.</summary>
internal static class Harness
{
    private static readonly Lazy<string> GeneratedCorpus = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "kuulo-e2e-corpus-" + Environment.ProcessId);
        if (!Directory.Exists(dir) || Directory.GetFiles(dir, "*.wav").Length < 3)
        {
            CorpusGenerator.Generate(dir, 3, 11);
        }

        return dir;
    });

    /// <summary>Three generated labelled conversations (real recorded speech).</summary>
    public static string[] Conversations => Directory.GetFiles(GeneratedCorpus.Value, "*.wav").OrderBy(f => f).ToArray();

    /// <summary>
    /// A short call with no alert in it: 1.5 s of a voiced tone from the agent, 1.5 s from the customer, then the
    /// file ends (which ends the call). Each file is exactly one call summary.
    /// </summary>
    public static string ShortCall(string dir, int index)
    {
        int rate = 8000;
        var samples = new short[rate * 4 * 2];
        var random = new Random(index);
        for (int n = 0; n < rate * 4; n++)
        {
            double t = (double)n / rate;
            bool agent = t >= 0.3 && t < 1.8;
            bool customer = t >= 2.2 && t < 3.7;
            samples[2 * n] = (short)((agent ? 6000 * Math.Sin(2 * Math.PI * 140 * t) : 0) + random.Next(-30, 30));
            samples[2 * n + 1] = (short)((customer ? 6000 * Math.Sin(2 * Math.PI * 220 * t) : 0) + random.Next(-30, 30));
        }

        string path = Path.Combine(dir, $"short-{index:D3}.wav");
        CorpusWriter.WriteWav(path, samples, rate);
        return path;
    }

    public static async Task<string> RegisterAsync(HttpClient http, string id, string agent = "aino", string team = "blue")
    {
        var response = await http.PostAsJsonAsync("/api/devices", new { id, site = "tampere", team, desk = id, agent });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("password").GetString()!;
    }

    public static DeskUnit Unit(string id, string password, int port, string dataDir, PcmSource source, int queue = 500, double speed = 0,
        FirmwareSetup? firmware = null) =>
        new(new UnitOptions
        {
            DeviceId = id, Password = password, BrokerPort = port, Speed = speed, DataDirectory = Path.Combine(dataDir, id),
            QueueCapacity = queue, StatusInterval = TimeSpan.FromSeconds(1),
            Firmware = firmware?.Running ?? UnitOptions.BuiltFirmware, FirmwareKey = firmware?.ReleaseKey, CompanionUrl = firmware?.CompanionUrl,
            SimulateFailedBoot = firmware?.FailsToBoot ?? false,
        }, source);

    /// <summary>A unit running until disposed; disposing is a power cut (whatever is queued stays queued).</summary>
    public sealed record RunningUnit(DeskUnit Unit, Task Running, CancellationTokenSource Stop) : IAsyncDisposable
    {
        public static RunningUnit Start(DeskUnit unit)
        {
            var stop = new CancellationTokenSource();
            return new RunningUnit(unit, unit.RunAsync(stop.Token), stop);
        }

        public async ValueTask DisposeAsync()
        {
            Stop.Cancel();
            await Running.WaitAsync(TimeSpan.FromSeconds(10));
            await Unit.DisposeAsync();
            Stop.Dispose();
        }
    }

    /// <summary>What a unit needs for firmware updates: the version it starts on, the release key it trusts, where it downloads.</summary>
    public sealed record FirmwareSetup(string Running, string ReleaseKey, string CompanionUrl, bool FailsToBoot = false);

    public static async Task<JsonElement[]> CallsAsync(HttpClient http, string device, int expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var calls = JsonDocument.Parse(await http.GetStringAsync($"/api/calls?device={device}&limit=10000")).RootElement.EnumerateArray().ToArray();
            if (calls.Length >= expected || DateTime.UtcNow > deadline)
            {
                return calls;
            }

            await Task.Delay(100);
        }
    }

    public static async Task<JsonElement> DeviceAsync(HttpClient http, string id) =>
        JsonDocument.Parse(await http.GetStringAsync($"/api/devices/{id}")).RootElement.GetProperty("device");

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(100);
        }
    }
}
