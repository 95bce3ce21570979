using System.Net.Http.Json;
using Kuulo.Desk.Evaluation;
using Kuulo.Desk.Unit;
using Kuulo.TestSupport;

namespace Kuulo.EndToEnd.Tests;

/// <summary>Conversations -> host desk units -> broker -> companion -> API.</summary>
public sealed class WireTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuulo-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task StatsTheApiReturnsAreTheOnesTheUnitsComputed()
    {
        using var companion = await CompanionProcess.StartAsync();
        var wavs = Harness.Conversations;

        // One unit per conversation, all in one process, as `kuulo-desk run --units N` runs them.
        var units = new List<DeskUnit>();
        for (int i = 0; i < wavs.Length; i++)
        {
            string id = $"e2e-stats-{i}";
            units.Add(Harness.Unit(id, await Harness.RegisterAsync(companion.Http, id), companion.MqttPort, _dir, PcmSource.Files(new[] { wavs[i] }, loop: false)));
        }

        await Task.WhenAll(units.Select(u => u.RunAsync(CancellationToken.None))).WaitAsync(TimeSpan.FromMinutes(2));
        foreach (var unit in units)
        {
            await unit.DisposeAsync();
        }

        // The same engine, offline, on the same files: what each unit must have reported.
        for (int u = 0; u < wavs.Length; u++)
        {
            var expected = ConversationAnalyzer.Analyze(wavs[u]).Calls;
            var stored = (await Harness.CallsAsync(companion.Http, $"e2e-stats-{u}", expected.Count)).OrderBy(c => c.GetProperty("seq").GetInt64()).ToList();
            Assert.Equal(expected.Count, stored.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                var (e, s) = (expected[i], stored[i]);
                Assert.Equal(e.DurationMs, s.GetProperty("durMs").GetInt32());
                Assert.Equal(e.AgentTalkMs, s.GetProperty("agentMs").GetInt32());
                Assert.Equal(e.CustomerTalkMs, s.GetProperty("custMs").GetInt32());
                Assert.Equal(e.OverlapMs, s.GetProperty("overlapMs").GetInt32());
                Assert.Equal(e.Interruptions, s.GetProperty("interruptions").GetInt32());
                Assert.Equal(e.Backchannels, s.GetProperty("backchannels").GetInt32());
                Assert.Equal(e.DeadAirMs, s.GetProperty("deadAirMs").GetInt32());
                Assert.Equal(e.ResponseGapMedianMs, s.GetProperty("gapMedMs").GetInt32());
                Assert.Equal(e.TalkRatioPerMille, s.GetProperty("talkRatioPm").GetInt32());
                Assert.Equal(e.Alerts, s.GetProperty("alerts").GetInt32());
            }
        }

        var device = await Harness.DeviceAsync(companion.Http, "e2e-stats-0");
        Assert.False(device.GetProperty("online").GetBoolean());
        var alerts = await companion.Http.GetFromJsonAsync<List<object>>("/api/alerts?seconds=3600");
        Assert.NotEmpty(alerts!);
    }

    [Fact]
    public async Task BrokerDownForAWhileLosesNothing()
    {
        int port = FreePort.Next();
        using var companion = await CompanionProcess.StartAsync(new Dictionary<string, string>
        {
            ["Broker:Embedded"] = "false", ["Broker:Port"] = port.ToString(), ["Broker:Password"] = "companion-secret",
        });
        string password = await Harness.RegisterAsync(companion.Http, "e2e-outage");
        var files = Enumerable.Range(0, 6).Select(i => Harness.ShortCall(_dir, i)).ToList();

        // The broker is down while the unit works through its calls: everything waits in the queue.
        await using var unit = Harness.Unit("e2e-outage", password, port, _dir, PcmSource.Files(files, loop: false));
        var running = unit.RunAsync(CancellationToken.None);
        await Harness.EventuallyAsync(() => Task.FromResult(unit.Calls == 6), "the unit did not finish its calls");
        Assert.True(unit.Queued >= 6);
        Assert.False(unit.Connected);

        using var mosquitto = await MosquittoServer.StartAsync(
            await companion.Http.GetStringAsync("/api/admin/mosquitto/passwords"),
            await companion.Http.GetStringAsync("/api/admin/mosquitto/acl"), port);
        await running.WaitAsync(TimeSpan.FromSeconds(60));
        var calls = await Harness.CallsAsync(companion.Http, "e2e-outage", 6);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), calls.Select(c => c.GetProperty("seq").GetInt64()).Order());
    }

    [Fact]
    public async Task UnitRestartedWithAFullQueueDeliversTheNewestAndReportsTheDrop()
    {
        using var companion = await CompanionProcess.StartAsync();
        string password = await Harness.RegisterAsync(companion.Http, "e2e-full");
        var files = Enumerable.Range(0, 5).Select(i => Harness.ShortCall(_dir, i)).ToList();

        // First life: no broker reachable, a queue of 3, five calls: the two oldest are dropped. Then power off.
        using (var stop = new CancellationTokenSource())
        {
            var offline = Harness.Unit("e2e-full", password, FreePort.Next(), _dir, PcmSource.Files(files, loop: false), queue: 3);
            var running = offline.RunAsync(stop.Token);
            await Harness.EventuallyAsync(() => Task.FromResult(offline.Calls == 5), "the unit did not finish its calls");
            Assert.Equal(3, offline.Queued);
            Assert.Equal(2, offline.Dropped);
            stop.Cancel();
            await running;
            await offline.DisposeAsync();
        }

        // Second life, same flash (now with room for one more), broker reachable: the queued three and a new call
        // arrive, and the earlier drop is reported.
        await using (var online = Harness.Unit("e2e-full", password, companion.MqttPort, _dir, PcmSource.Files(new[] { Harness.ShortCall(_dir, 9) }, loop: false), queue: 4))
        {
            await online.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        }

        var seqs = (await Harness.CallsAsync(companion.Http, "e2e-full", 4)).Select(c => c.GetProperty("seq").GetInt64()).Order().ToList();
        Assert.Equal(new long[] { 3, 4, 5, 6 }, seqs);
        var gaps = await companion.Http.GetStringAsync("/api/devices/e2e-full/gaps");
        Assert.Equal("[]", gaps);
        await Harness.EventuallyAsync(async () => (await Harness.DeviceAsync(companion.Http, "e2e-full")).GetProperty("dropped").GetInt32() == 2,
            "the drop was not reported in the device's status");
    }

    [Fact]
    public async Task PushedConfigurationIsAppliedAndItsVersionReported()
    {
        using var companion = await CompanionProcess.StartAsync();
        string password = await Harness.RegisterAsync(companion.Http, "e2e-config");
        var pushed = await companion.Http.PutAsJsonAsync("/api/devices/e2e-config/config", new Dictionary<string, int> { ["monologue_ms"] = 90_000 });
        Assert.True(pushed.IsSuccessStatusCode);

        var files = Enumerable.Range(0, 3).Select(i => Harness.ShortCall(_dir, i)).ToList();
        await using (var unit = Harness.Unit("e2e-config", password, companion.MqttPort, _dir, PcmSource.Files(files, loop: true)))
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var running = unit.RunAsync(stop.Token);
            await Harness.EventuallyAsync(async () => (await Harness.DeviceAsync(companion.Http, "e2e-config")).TryGetProperty("reportedVersion", out var v)
                && v.ValueKind == System.Text.Json.JsonValueKind.Number && v.GetInt32() == 1, "the unit did not report version 1");
            Assert.Equal(1, unit.ConfigVersion);
            stop.Cancel();
            await running;
        }

        Assert.Contains("90000", File.ReadAllText(Path.Combine(_dir, "e2e-config", "config.json")));
    }

    [Fact]
    public async Task CompanionRestartedMidRunLosesNothing()
    {
        using var companion = await CompanionProcess.StartAsync();
        string password = await Harness.RegisterAsync(companion.Http, "e2e-restart");
        var files = Enumerable.Range(0, 40).Select(i => Harness.ShortCall(_dir, i)).ToList();
        await using var unit = Harness.Unit("e2e-restart", password, companion.MqttPort, _dir, PcmSource.Files(files, loop: false));
        var running = unit.RunAsync(CancellationToken.None);
        await Harness.EventuallyAsync(() => Task.FromResult(unit.Calls >= 10), "the unit did not start");
        companion.Kill();
        await Task.Delay(500);
        await companion.RestartAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(90));
        var seqs = (await Harness.CallsAsync(companion.Http, "e2e-restart", 40)).Select(c => c.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(40, seqs.Count);
        Assert.Equal(40, seqs.Distinct().Count());
    }
}
