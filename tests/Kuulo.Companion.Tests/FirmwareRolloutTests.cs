using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;
using static Kuulo.TestSupport.FirmwareImages;

namespace Kuulo.Companion.Tests;

public sealed class FirmwareCompanionFixture() : CompanionFixture(new Dictionary<string, string>
{
    ["Fleet:FirmwareSigningKey"] = FirmwareImages.PublicKey(FirmwareRolloutTests.ReleaseKey),
});

/// <summary>Issue 10, firmware rollout: signed uploads only, canary first, per-desk states, a failing canary halts the rollout.</summary>
public sealed class FirmwareRolloutTests(FirmwareCompanionFixture fixture) : IClassFixture<FirmwareCompanionFixture>
{
    public static readonly ECDsa ReleaseKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task OnlyImagesSignedWithTheReleaseKeyAreAccepted()
    {
        var image = RandomNumberGenerator.GetBytes(5000);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = await UploadAsync(Companion.Http, "9.9.9", image, Sign(stranger, "9.9.9", image));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("does not match the release key", await forged.Content.ReadAsStringAsync());

        // A genuine signature for another version cannot be replayed onto this one.
        var replayed = await UploadAsync(Companion.Http, "9.9.9", image, Sign(ReleaseKey, "1.0.0", image));
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);

        var tooBig = await UploadAsync(Companion.Http, "9.9.8", new byte[2 * 1024 * 1024 + 1], "AAAA");
        Assert.NotEqual(HttpStatusCode.Created, tooBig.StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(Companion.Http, "9.9.9", image, Sign(ReleaseKey, "9.9.9", image))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await UploadAsync(Companion.Http, "9.9.9", image, Sign(ReleaseKey, "9.9.9", image))).StatusCode);
    }

    [Fact]
    public async Task ARolloutOffersCanariesFirstTracksEachDeskAndAdvancesOnlyWhenTheyAllRunIt()
    {
        var (passwords, image, started, id) = await StartTeamRolloutAsync("ota", desks: 5, "2.0.0", canaryPercent: 40, imageBytes: 20_000);
        var canaries = Wave(started, "canary");
        Assert.Equal(2, canaries.Count);
        Assert.Equal("canary", started.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal(2, started.GetProperty("states").GetProperty("offered").GetInt32());
        Assert.Equal(3, started.GetProperty("states").GetProperty("pending").GetInt32());

        // A canary gets the signed offer and can download the image with its own credentials; others cannot.
        await using var first = await DeviceClient.ConnectAsync(Companion.MqttPort, canaries[0], passwords[canaries[0]]);
        var offer = OtaOffer.Parse(await first.ReceiveAsync(Topics.OtaOffer, TimeSpan.FromSeconds(5)), out var error)!;
        Assert.Null(error);
        Assert.Equal("2.0.0", offer.FirmwareVersion);
        var download = new HttpRequestMessage(HttpMethod.Get, offer.Path);
        download.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{canaries[0]}:{passwords[canaries[0]]}")));
        Assert.Equal(image, await (await new HttpClient { BaseAddress = Companion.BaseAddress }.SendAsync(download)).Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient { BaseAddress = Companion.BaseAddress }.GetAsync(offer.Path)).StatusCode);

        // Too early: one canary is still downloading.
        await Report(first, id, OtaReport.Downloading, "1.0.0");
        await UntilState(id, canaries[0], OtaReport.Downloading);
        var early = await Companion.Http.PostAsync($"/api/firmware/rollouts/{id}/advance", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("0 of 2 canary desks run 2.0.0", await early.Content.ReadAsStringAsync());

        await Report(first, id, OtaReport.Installed, "2.0.0");
        await using (var second = await DeviceClient.ConnectAsync(Companion.MqttPort, canaries[1], passwords[canaries[1]]))
        {
            await Report(second, id, OtaReport.Installed, "2.0.0");
        }

        await UntilState(id, canaries[1], OtaReport.Installed);
        var advanced = await Post($"/api/firmware/rollouts/{id}/advance", new { });
        Assert.Equal("rest", advanced.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal(3, advanced.GetProperty("states").GetProperty("offered").GetInt32());

        // The rest: one refuses a bad image, one falls back after a failed boot; both say why. Neither halts a rollout past its canaries.
        var rest = Wave(advanced, "rest");
        foreach (var (device, state, why) in new[] { (rest[0], OtaReport.Failed, "the image's SHA-256 does not match the signed offer"),
                     (rest[1], OtaReport.RolledBack, "2.0.0 did not confirm its boot; back on 1.0.0"), (rest[2], OtaReport.Installed, (string?)null) })
        {
            await using var desk = await DeviceClient.ConnectAsync(Companion.MqttPort, device, passwords[device]);
            await Report(desk, id, state, state == OtaReport.Installed ? "2.0.0" : "1.0.0", why);
        }

        var final = await UntilState(id, rest[1], OtaReport.RolledBack);
        Assert.Equal(3, final.GetProperty("states").GetProperty("installed").GetInt32());
        Assert.Equal(1, final.GetProperty("states").GetProperty("failed").GetInt32());
        Assert.Equal(1, final.GetProperty("states").GetProperty("rolled_back").GetInt32());
        Assert.Contains(final.GetProperty("devices").EnumerateArray(), d => d.GetProperty("detail").GetString() == "2.0.0 did not confirm its boot; back on 1.0.0");
    }

    [Fact]
    public async Task ACanaryThatFallsBackHaltsTheRollout()
    {
        var (passwords, _, started, id) = await StartTeamRolloutAsync("halt", desks: 2, "3.0.0", canaryPercent: 1);
        string canary = Wave(started, "canary").Single();
        await using var desk = await DeviceClient.ConnectAsync(Companion.MqttPort, canary, passwords[canary]);
        await Report(desk, id, OtaReport.RolledBack, "1.0.0", "3.0.0 did not confirm its boot; back on 1.0.0");
        await UntilState(id, canary, OtaReport.RolledBack);
        Assert.Equal("halted", (await Api.GetAsync(Companion.Http, $"/api/firmware/rollouts/{id}")).GetProperty("rollout").GetProperty("state").GetString());
        var advance = await Companion.Http.PostAsync($"/api/firmware/rollouts/{id}/advance", null);
        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        Assert.Contains($"the rollout is halted: {canary}: rolled_back (3.0.0 did not confirm its boot", await advance.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAbortedRolloutCancelsEveryDeskThatHadNotStartedAndWithdrawsItsOffer()
    {
        var (passwords, _, started, id) = await StartTeamRolloutAsync("abort", desks: 4, "4.0.0", canaryPercent: 50);
        var canaries = Wave(started, "canary");
        await using var busy = await DeviceClient.ConnectAsync(Companion.MqttPort, canaries[0], passwords[canaries[0]]);
        await busy.ReceiveAsync(Topics.OtaOffer, TimeSpan.FromSeconds(5));
        await Report(busy, id, OtaReport.Downloading, "1.0.0");
        await UntilState(id, canaries[0], OtaReport.Downloading);

        var aborted = await Post($"/api/firmware/rollouts/{id}/abort", new { });
        Assert.Equal("aborted", aborted.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal(3, aborted.GetProperty("states").GetProperty("cancelled").GetInt32());
        Assert.Equal(1, aborted.GetProperty("states").GetProperty("downloading").GetInt32());

        // Nothing moves it on again, and the other canary, offered but not yet connected, never sees the offer.
        var advance = await Companion.Http.PostAsync($"/api/firmware/rollouts/{id}/advance", null);
        Assert.Equal(HttpStatusCode.Conflict, advance.StatusCode);
        Assert.Contains("aborted", await advance.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await Companion.Http.PostAsync($"/api/firmware/rollouts/{id}/abort", null)).StatusCode);
        await using var late = await DeviceClient.ConnectAsync(Companion.MqttPort, canaries[1], passwords[canaries[1]]);
        await Assert.ThrowsAsync<TimeoutException>(() => late.ReceiveAsync(Topics.OtaOffer, TimeSpan.FromSeconds(2)));

        // The desk that had started finishes, and says so.
        await Report(busy, id, OtaReport.Installed, "4.0.0");
        await UntilState(id, canaries[0], OtaReport.Installed);
    }

    [Fact]
    public async Task AnOfferNotYetAnsweredIsOfferedAgainAfterTheCompanionCrashed()
    {
        var (passwords, _, _, id) = await StartTeamRolloutAsync("survive", desks: 1, "5.0.0", canaryPercent: 100);

        // The embedded broker's retained offer dies with the process; the desk was offline all along.
        Companion.Kill();
        await Companion.RestartAsync();

        await using var desk = await DeviceClient.ConnectAsync(Companion.MqttPort, "survive-0", passwords["survive-0"]);
        var offer = OtaOffer.Parse(await desk.ReceiveAsync(Topics.OtaOffer, TimeSpan.FromSeconds(10)), out var error);
        Assert.Null(error);
        Assert.Equal(id, offer!.Rollout);
        Assert.Equal("5.0.0", offer.FirmwareVersion);
    }

    /// <summary>
    /// Registers desks <c>{prefix}-0</c>.. in team <c>{prefix}-team</c>, uploads a random image signed with the release
    /// key, and starts a rollout of it to that team. Returns each desk's password, the image, the start answer and the
    /// rollout's id.
    /// </summary>
    private async Task<(Dictionary<string, string> Passwords, byte[] Image, JsonElement Started, long Id)> StartTeamRolloutAsync(
        string prefix, int desks, string version, int canaryPercent, int imageBytes = 1000)
    {
        var passwords = new Dictionary<string, string>();
        for (int i = 0; i < desks; i++)
        {
            passwords[$"{prefix}-{i}"] = await Api.RegisterAsync(Companion.Http, $"{prefix}-{i}", team: $"{prefix}-team");
        }

        var image = RandomNumberGenerator.GetBytes(imageBytes);
        (await UploadAsync(Companion.Http, version, image, Sign(ReleaseKey, version, image))).EnsureSuccessStatusCode();
        var started = await Post("/api/firmware/rollouts", new { version, scope = "team", name = $"{prefix}-team", canaryPercent });
        return (passwords, image, started, started.GetProperty("rollout").GetProperty("id").GetInt64());
    }

    private static List<string> Wave(JsonElement status, string wave) => status.GetProperty("devices").EnumerateArray()
        .Where(d => d.GetProperty("wave").GetString() == wave).Select(d => d.GetProperty("deviceId").GetString()!).ToList();

    private static Task Report(DeviceClient desk, long rollout, string state, string running, string? error = null) =>
        desk.PublishAsync(Topics.OtaReport, new OtaReport { Rollout = rollout, FirmwareVersion = "x", State = state, Running = running, Error = error }.ToJson(), retain: true);

    private async Task<JsonElement> Post(string path, object body)
    {
        var response = await Companion.Http.PostAsJsonAsync(path, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private async Task<JsonElement> UntilState(long rollout, string device, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement status;
        do
        {
            status = await Api.GetAsync(Companion.Http, $"/api/firmware/rollouts/{rollout}");
            if (status.GetProperty("devices").EnumerateArray().Any(d => d.GetProperty("deviceId").GetString() == device && d.GetProperty("state").GetString() == state))
            {
                return status;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{device} never reached {state}: {status}");
        return status;
    }
}
