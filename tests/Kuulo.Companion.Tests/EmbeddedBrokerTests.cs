using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Kuulo.Companion.Tests;

/// <summary>One companion process shared by a test class, started with the given settings (keys below "Kuulo").</summary>
public class CompanionFixture(Dictionary<string, string>? settings = null) : IAsyncLifetime
{
    public CompanionProcess Companion { get; private set; } = null!;

    public async Task InitializeAsync() => Companion = await CompanionProcess.StartAsync(settings);

    public Task DisposeAsync()
    {
        Companion.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class EmbeddedCompanionFixture : CompanionFixture;

/// <summary>The one-command default: embedded broker and SQLite.</summary>
public sealed class EmbeddedBrokerTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task RedeliveredCallIsStoredOnce()
    {
        string password = await Api.RegisterAsync(Companion.Http, "redeliver-1", agent: "redeliver-agent");
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "redeliver-1", password);
        Assert.Equal(MqttClientPublishReasonCode.Success, await device.PublishAsync(Topics.Call, DeviceClient.Call(1)));
        Assert.Equal(MqttClientPublishReasonCode.Success, await device.PublishAsync(Topics.Call, DeviceClient.Call(1)));
        Assert.Equal(MqttClientPublishReasonCode.Success, await device.PublishAsync(Topics.Call, DeviceClient.Call(2)));

        // The PUBACK came after the commit, so the calls are there without waiting.
        var calls = await Api.GetAsync(Companion.Http, "/api/calls?device=redeliver-1");
        Assert.Equal(new long[] { 2, 1 }, calls.EnumerateArray().Select(c => c.GetProperty("seq").GetInt64()));
        // The rollups counted the redelivered call once too.
        var stats = await Api.GetAsync(Companion.Http, "/api/stats?by=agent&period=month&from=2026-11-01&to=2026-11-30&agent=redeliver-agent");
        Assert.Equal(2, stats.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("calls").GetInt64()));
        Assert.True(await Api.MetricAsync(Companion.Http, "kuulo_messages_duplicate_total") >= 1);
    }

    [Fact]
    public async Task BadMessagesAreDeadLetteredWithReasonsAndIngestionGoesOn()
    {
        string password = await Api.RegisterAsync(Companion.Http, "bad-input-1");
        await Api.RegisterAsync(Companion.Http, "bad-input-2");
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "bad-input-1", password);

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await device.PublishAsync(Topics.Call, "{not json"));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await device.PublishAsync(Topics.Call, "{\"v\":1,\"seq\":3,\"pad\":\"" + new string('x', 5000) + "\"}"));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await device.PublishAsync(Topics.Call, DeviceClient.Call(4).Replace("\"dur_ms\":60000", "\"dur_ms\":-5")));
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, await device.PublishToAsync(Topics.For("bad-input-2", Topics.Call), DeviceClient.Call(5)));
        Assert.Equal(MqttClientPublishReasonCode.Success, await device.PublishAsync(Topics.Call, DeviceClient.Call(6)));

        var calls = await Api.GetAsync(Companion.Http, "/api/calls?device=bad-input-1");
        Assert.Equal(6, Assert.Single(calls.EnumerateArray()).GetProperty("seq").GetInt64());
        Assert.Empty((await Api.GetAsync(Companion.Http, "/api/calls?device=bad-input-2")).EnumerateArray());

        var reasons = (await Api.GetAsync(Companion.Http, "/api/admin/dead-letters?limit=1000")).EnumerateArray()
            .Where(d => d.GetProperty("clientId").GetString() == "bad-input-1").Select(d => d.GetProperty("reason").GetString()!).ToList();
        Assert.Contains(reasons, r => r.Contains("expected ','") || r.Contains("at character"));
        Assert.Contains(reasons, r => r.Contains("more than the 4096 allowed"));
        Assert.Contains(reasons, r => r.Contains("'dur_ms' must be between 0"));
        Assert.Contains(reasons, r => r.Contains("may not publish for device 'bad-input-2'"));
    }

    [Fact]
    public async Task WrongCredentialsAndUnknownDevicesCannotConnect()
    {
        await Api.RegisterAsync(Companion.Http, "creds-1");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "creds-1", "not-the-password"));
        Assert.Contains("BadUserNameOrPassword", refused.ToString());
        await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "nobody", "whatever"));
    }

    [Fact]
    public async Task RotatedCredentialsReplaceTheOldOnes()
    {
        string old = await Api.RegisterAsync(Companion.Http, "rotate-1");
        var rotated = await Companion.Http.PostAsync("/api/devices/rotate-1/credentials", null);
        string fresh = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync()).RootElement.GetProperty("password").GetString()!;
        await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "rotate-1", old));
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "rotate-1", fresh);
    }

    [Fact]
    public async Task ForeignClientMosquittoPubIsIngested()
    {
        string password = await Api.RegisterAsync(Companion.Http, "foreign-1");
        ExternalProcess.Run("mosquitto_pub", new[]
        {
            "-h", "127.0.0.1", "-p", Companion.MqttPort.ToString(), "-i", "foreign-1", "-u", "foreign-1", "-P", password,
            "-q", "1", "-V", "mqttv311", "-t", Topics.For("foreign-1", Topics.Call), "-m", DeviceClient.Call(1),
        });
        Assert.Single((await Api.WaitForCallsAsync(Companion.Http, "foreign-1", 1)).EnumerateArray());
    }

    [Fact]
    public async Task ConfigurationIsValidatedVersionedPushedAndReported()
    {
        string password = await Api.RegisterAsync(Companion.Http, "config-1");
        var bad = await Companion.Http.PutAsJsonAsync("/api/devices/config-1/config", new Dictionary<string, int> { ["dead_air_first_ms"] = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("dead_air_first_ms must be between 1000 and 60000", await bad.Content.ReadAsStringAsync());

        var good = await Companion.Http.PutAsJsonAsync("/api/devices/config-1/config", new Dictionary<string, int> { ["dead_air_first_ms"] = 7000 });
        Assert.Equal(1, JsonDocument.Parse(await good.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());

        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "config-1", password);
        var desired = ConfigMessage.Parse(await device.ReceiveAsync(Topics.ConfigDesired, TimeSpan.FromSeconds(10)), out var error);
        Assert.Null(error);
        Assert.Equal(7000, desired!.DeadAirFirstMs);
        Assert.Equal(1, desired.Version);

        await device.PublishAsync(Topics.ConfigReported, new ConfigReport { AppliedVersion = 1 }.ToJson(), retain: true);
        var shown = await Api.GetAsync(Companion.Http, "/api/devices/config-1");
        Assert.Equal(1, shown.GetProperty("device").GetProperty("reportedVersion").GetInt32());
    }

    [Fact]
    public async Task StatusAndLastWillShowOnlineAndOffline()
    {
        string password = await Api.RegisterAsync(Companion.Http, "status-1");
        await using (var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "status-1", password))
        {
            var status = new StatusMessage { Online = true, Firmware = "1.4.2", Rssi = -58, FreeHeapBytes = 81_000, UptimeSeconds = 42 };
            await device.PublishAsync(Topics.Status, status.ToJson(), retain: true);
            var shown = (await Api.GetAsync(Companion.Http, "/api/devices/status-1")).GetProperty("device");
            Assert.True(shown.GetProperty("online").GetBoolean());
            Assert.Equal("1.4.2", shown.GetProperty("firmware").GetString());
            await device.PublishAsync(Topics.Status, StatusMessage.OfflineJson(), retain: true);
        }

        Assert.False((await Api.GetAsync(Companion.Http, "/api/devices/status-1")).GetProperty("device").GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task EveryEndpointButHealthNeedsACredentialAndTheRightRole()
    {
        using var anonymous = new HttpClient { BaseAddress = Companion.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        foreach (var path in new[] { "/api/devices", "/api/calls", "/api/stats", "/api/alerts", "/metrics", "/openapi/v1.json", "/api/admin/dead-letters" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }

        using var supervisor = Companion.Client(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync("/api/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync("/api/devices")).StatusCode);

        using var facilities = Companion.Client(CompanionProcess.FacilitiesUser, CompanionProcess.FacilitiesPassword);
        Assert.Equal(HttpStatusCode.OK, (await facilities.GetAsync("/api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await facilities.GetAsync("/api/calls")).StatusCode);

        using var wrong = Companion.Client(CompanionProcess.AdminUser, "wrong-password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/calls")).StatusCode);

        var openApi = await Companion.Http.GetStringAsync("/openapi/v1.json");
        Assert.Contains("/api/devices", openApi);
    }

    [Fact]
    public async Task AggregatesAndCsvMatchTheStoredCalls()
    {
        string pa = await Api.RegisterAsync(Companion.Http, "stats-a", agent: "stats-agent-a", team: "stats-team");
        string pb = await Api.RegisterAsync(Companion.Http, "stats-b", agent: "stats-agent-b", team: "stats-team");
        await using (var a = await DeviceClient.ConnectAsync(Companion.MqttPort, "stats-a", pa))
        {
            await a.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 2));
            await a.PublishAsync(Topics.Call, DeviceClient.Call(2, interruptions: 4));
        }

        await using (var b = await DeviceClient.ConnectAsync(Companion.MqttPort, "stats-b", pb))
        {
            await b.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 1));
        }

        var byAgent = (await Api.GetAsync(Companion.Http, "/api/stats?by=agent&period=week&team=stats-team&from=2026-11-01&to=2026-11-30")).GetProperty("rows").EnumerateArray().ToList();
        var a1 = byAgent.Where(r => r.GetProperty("key").GetString() == "stats-agent-a").ToList();
        Assert.Equal(2, a1.Sum(r => r.GetProperty("calls").GetInt64()));
        Assert.All(a1, r => Assert.Equal(3.0, r.GetProperty("interruptionsPerCall").GetDouble(), 3));
        var byTeam = (await Api.GetAsync(Companion.Http, "/api/stats?by=team&period=week&team=stats-team&from=2026-11-01&to=2026-11-30")).GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(3, byTeam.Sum(r => r.GetProperty("calls").GetInt64()));

        Assert.Equal(HttpStatusCode.BadRequest, (await Companion.Http.GetAsync("/api/stats?by=planet")).StatusCode);

        var csv = await Companion.Http.GetStringAsync("/api/calls?device=stats-a&format=csv");
        var lines = csv.TrimEnd().Split("\r\n");
        Assert.StartsWith("device_id,seq,call_number,agent,team,site,start_ms", lines[0]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task RegistrationRejectsBadIdsAndDuplicates()
    {
        var badId = await Companion.Http.PostAsJsonAsync("/api/devices", new { id = "Desk 1", site = "s", team = "t", desk = "d", agent = "a" });
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        await Api.RegisterAsync(Companion.Http, "dup-1");
        var again = await Companion.Http.PostAsJsonAsync("/api/devices", new { id = "dup-1", site = "s", team = "t", desk = "d", agent = "a" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var missing = await Companion.Http.PostAsJsonAsync("/api/devices", new { id = "dup-2", site = "s" });
        Assert.Contains("'team' is required", await missing.Content.ReadAsStringAsync());
    }
}
