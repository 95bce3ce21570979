using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.Desk.Unit;
using Kuulo.TestSupport;
using static Kuulo.EndToEnd.Tests.Harness;

namespace Kuulo.EndToEnd.Tests;

/// <summary>
/// Issue 10, firmware updates end to end: a signed image uploaded to the real companion, a staged rollout, and host
/// desk units that check the offer's signature, download with their own credentials, check size and SHA-256,
/// install (or refuse, or fall back) and report; the companion's rollout and inventory show what the desks did.
/// </summary>
public sealed class FirmwareUpdateTests : IDisposable
{
    private static readonly ECDsa ReleaseKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly string _dir = Directory.CreateTempSubdirectory("kuulo-e2e-ota-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ASignedImageReachesTheCanaryThenTheRestAndTheInventoryShowsIt()
    {
        using var companion = await StartCompanionAsync(ReleaseKey);
        await using var desks = new Desks(companion, _dir);
        var ids = Enumerable.Range(0, 4).Select(i => $"ota-{i}").ToList();
        foreach (var desk in ids)
        {
            await desks.StartAsync(desk, "blue", Setup(companion, ReleaseKey));
        }

        await UntilInventoryAsync(companion, "blue", "1.0.0", 4);
        var image = RandomNumberGenerator.GetBytes(64 * 1024);
        await UploadAsync(companion, "1.1.0", image, ReleaseKey);
        var started = await StartRolloutAsync(companion, "1.1.0", "blue", canaryPercent: 25);
        long id = started.GetProperty("rollout").GetProperty("id").GetInt64();
        string canary = Wave(started, "canary").Single();
        var rest = Wave(started, "rest");
        Assert.Equal(3, rest.Count);

        // The canary alone gets it; the rest are not offered anything yet.
        var canaryDone = await UntilRolloutAsync(companion, desks, id, s => State(s, canary) == OtaReport.Installed, "the canary did not install 1.1.0");
        Assert.Equal("canary", canaryDone.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("running 1.1.0", Detail(canaryDone, canary));
        Assert.Equal("1.1.0", desks[canary].Firmware);
        Assert.Equal(image, File.ReadAllBytes(Path.Combine(_dir, canary, "firmware-next.bin")));
        foreach (var desk in rest)
        {
            Assert.Equal("pending", State(canaryDone, desk));
            Assert.Equal("1.0.0", desks[desk].Firmware);
        }

        var advance = await companion.Http.PostAsync($"/api/firmware/rollouts/{id}/advance", null);
        Assert.True(advance.IsSuccessStatusCode, await advance.Content.ReadAsStringAsync());
        var done = await UntilRolloutAsync(companion, desks, id, s => s.GetProperty("rollout").GetProperty("state").GetString() == "done",
            "the rest of the group did not install 1.1.0");
        Assert.Equal(4, done.GetProperty("states").GetProperty(OtaReport.Installed).GetInt32());
        foreach (var desk in ids)
        {
            Assert.Equal("1.1.0", desks[desk].Firmware);
            Assert.Equal("running 1.1.0", Detail(done, desk));
        }

        await UntilInventoryAsync(companion, "blue", "1.1.0", 4);

        // The installed version is on the unit's flash: after a restart it still runs it, whatever it was built as.
        await desks.RestartAsync(canary);
        Assert.Equal("1.1.0", desks[canary].Firmware);
    }

    [Fact]
    public async Task AnImageChangedOnTheWayIsRefusedByTheCanaryAndHaltsTheRollout()
    {
        using var companion = await StartCompanionAsync(ReleaseKey);
        await using var desks = new Desks(companion, _dir);
        var image = RandomNumberGenerator.GetBytes(32 * 1024);
        await UploadAsync(companion, "2.0.0", image, ReleaseKey);

        // Downloads are plain HTTP: an attacker on the way changes a byte, appends a payload, or cuts the image short.
        var attacks = new (string Team, Func<byte[], byte[]> Tamper, string Why)[]
        {
            ("flip", TamperingProxy.FlipByte, "the image's SHA-256 does not match the signed offer"),
            ("grow", TamperingProxy.Append, $"the image is {image.Length + 1} bytes, the signed offer says {image.Length}"),
            ("cut", b => b[..^100], $"the image is {image.Length - 100} bytes, the signed offer says {image.Length}"),
        };
        foreach (var (team, tamper, why) in attacks)
        {
            using var attacker = new TamperingProxy(companion.BaseAddress, tamper);
            await RefusedByTheCanaryAsync(companion, desks, team, Setup(companion, ReleaseKey) with { CompanionUrl = attacker.Url }, "2.0.0", why);
            Assert.True(attacker.Requests > 0, $"{team}: the canary never downloaded through the attacker");
        }
    }

    [Fact]
    public async Task AnImageSignedWithAnotherKeyIsRefusedBeforeItIsDownloaded()
    {
        // A companion made to trust an attacker's key (taken over, or misconfigured) accepts the attacker's image;
        // the desks were built with the real release key.
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var companion = await StartCompanionAsync(attackerKey);
        await using var desks = new Desks(companion, _dir);
        var image = RandomNumberGenerator.GetBytes(16 * 1024);
        await UploadAsync(companion, "6.6.6", image, attackerKey);
        using var watch = new TamperingProxy(companion.BaseAddress, TamperingProxy.Unchanged);
        await RefusedByTheCanaryAsync(companion, desks, "forged", Setup(companion, ReleaseKey) with { CompanionUrl = watch.Url }, "6.6.6",
            "the signature does not match the release key");
        Assert.Equal(0, watch.Requests);
    }

    [Fact]
    public async Task ACanaryWhoseNewImageDoesNotBootFallsBackAndHaltsTheRollout()
    {
        using var companion = await StartCompanionAsync(ReleaseKey);
        await using var desks = new Desks(companion, _dir);
        foreach (var desk in new[] { "boot-0", "boot-1" })
        {
            await desks.StartAsync(desk, "blue", Setup(companion, ReleaseKey) with { FailsToBoot = true });
        }

        await UploadAsync(companion, "1.2.0", RandomNumberGenerator.GetBytes(8 * 1024), ReleaseKey);
        var started = await StartRolloutAsync(companion, "1.2.0", "blue", canaryPercent: 1);
        long id = started.GetProperty("rollout").GetProperty("id").GetInt64();
        string canary = Wave(started, "canary").Single();
        string other = Wave(started, "rest").Single();

        var halted = await UntilRolloutAsync(companion, desks, id, s => State(s, canary) == OtaReport.RolledBack, "the canary did not report its fallback");
        Assert.Equal("1.2.0 did not confirm its boot; back on 1.0.0", Detail(halted, canary));
        Assert.Equal("halted", halted.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("pending", State(halted, other));
        var advance = await companion.Http.PostAsync($"/api/firmware/rollouts/{id}/advance", null);
        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        Assert.Contains($"{canary}: rolled_back (1.2.0 did not confirm its boot", await advance.Content.ReadAsStringAsync());
        Assert.Equal("1.0.0", desks[canary].Firmware);
        await UntilInventoryAsync(companion, "blue", "1.0.0", 2);
    }

    /// <summary>
    /// Two desks in <paramref name="team"/>, one canary: it refuses the offer for <paramref name="why"/>, the rollout
    /// halts, the other desk is never offered the image, and nobody installs anything.
    /// </summary>
    private async Task RefusedByTheCanaryAsync(CompanionProcess companion, Desks desks, string team, FirmwareSetup setup, string version, string why)
    {
        var ids = new[] { team + "-0", team + "-1" };
        foreach (var id in ids)
        {
            await desks.StartAsync(id, team, setup);
        }

        var started = await StartRolloutAsync(companion, version, team, canaryPercent: 1);
        long rollout = started.GetProperty("rollout").GetProperty("id").GetInt64();
        string canary = Wave(started, "canary").Single();
        var halted = await UntilRolloutAsync(companion, desks, rollout, s => State(s, canary) == OtaReport.Failed, $"{team}: the canary did not refuse the image");
        Assert.Equal(why, Detail(halted, canary));
        Assert.Equal("halted", halted.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal("pending", State(halted, Wave(started, "rest").Single()));
        var advance = await companion.Http.PostAsync($"/api/firmware/rollouts/{rollout}/advance", null);
        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        Assert.Contains(why, await advance.Content.ReadAsStringAsync());
        foreach (var id in ids)
        {
            Assert.Equal("1.0.0", desks[id].Firmware);
            Assert.False(File.Exists(Path.Combine(_dir, id, "firmware-next.bin")), $"{id} wrote a refused image to its update slot");
        }

        await UntilInventoryAsync(companion, team, "1.0.0", 2);
    }

    private static Task<CompanionProcess> StartCompanionAsync(ECDsa trusted) =>
        CompanionProcess.StartAsync(new Dictionary<string, string> { ["Fleet:FirmwareSigningKey"] = FirmwareImages.PublicKey(trusted) });

    private static FirmwareSetup Setup(CompanionProcess companion, ECDsa releaseKey) =>
        new("1.0.0", FirmwareImages.PublicKey(releaseKey), companion.BaseAddress.ToString());

    private static async Task UploadAsync(CompanionProcess companion, string version, byte[] image, ECDsa key)
    {
        var response = await FirmwareImages.UploadAsync(companion.Http, version, image, FirmwareImages.Sign(key, version, image));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> StartRolloutAsync(CompanionProcess companion, string version, string team, int canaryPercent)
    {
        var response = await companion.Http.PostAsJsonAsync("/api/firmware/rollouts", new { version, scope = "team", name = team, canaryPercent });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private static async Task<JsonElement> UntilRolloutAsync(CompanionProcess companion, Desks desks, long id, Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var status = JsonDocument.Parse(await companion.Http.GetStringAsync($"/api/firmware/rollouts/{id}")).RootElement;
            if (done(status))
            {
                return status;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{what}: {status}\n{desks}");
            await Task.Delay(100);
        }
    }

    private static Task UntilInventoryAsync(CompanionProcess companion, string team, string version, int devices) =>
        EventuallyAsync(async () =>
        {
            var inventory = JsonDocument.Parse(await companion.Http.GetStringAsync($"/api/fleet/inventory?team={team}")).RootElement;
            return inventory.GetProperty("firmware").EnumerateArray().Any(f => f.GetProperty("version").GetString() == version && f.GetProperty("devices").GetInt32() == devices);
        }, $"the inventory never showed {devices} desks of team {team} on {version}", seconds: 20);

    private static List<string> Wave(JsonElement status, string wave) => status.GetProperty("devices").EnumerateArray()
        .Where(d => d.GetProperty("wave").GetString() == wave).Select(d => d.GetProperty("deviceId").GetString()!).ToList();

    private static JsonElement Row(JsonElement status, string device) =>
        status.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("deviceId").GetString() == device);

    private static string? State(JsonElement status, string device) => Row(status, device).GetProperty("state").GetString();

    private static string? Detail(JsonElement status, string device) => Row(status, device).GetProperty("detail").GetString();

    /// <summary>Running host desk units, each playing short calls in real time (the audio is not what is tested here).</summary>
    private sealed class Desks(CompanionProcess companion, string dir) : IAsyncDisposable
    {
        private readonly Dictionary<string, (RunningUnit Running, string Password, FirmwareSetup Setup)> _desks = new();
        private readonly string _call = ShortCall(dir, 0);

        public DeskUnit this[string id] => _desks[id].Running.Unit;

        /// <summary>Each unit's console line, ending with what it did last (e.g. why it refused an offer).</summary>
        public override string ToString() => string.Join("\n", _desks.Values.Select(d => UnitView.Line(d.Running.Unit)));

        public async Task StartAsync(string id, string team, FirmwareSetup setup) =>
            Start(id, await RegisterAsync(companion.Http, id, team: team), setup);

        /// <summary>Power off and on again, on the same flash.</summary>
        public async Task RestartAsync(string id)
        {
            var desk = _desks[id];
            await desk.Running.DisposeAsync();
            Start(id, desk.Password, desk.Setup);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var desk in _desks.Values)
            {
                await desk.Running.DisposeAsync();
            }
        }

        private void Start(string id, string password, FirmwareSetup setup)
        {
            var unit = Unit(id, password, companion.MqttPort, dir, PcmSource.Files(new[] { _call }, loop: true), speed: 1, firmware: setup);
            _desks[id] = (RunningUnit.Start(unit), password, setup);
        }
    }
}
