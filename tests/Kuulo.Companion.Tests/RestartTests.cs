using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

public sealed class FastHousekeepingFixture() : CompanionFixture(new()
{
    ["StatusInterval"] = "00:00:01",
    ["DeadLetterRetention"] = "00:00:03",
});

/// <summary>Issue 9, items 5, 8 and 10 (retention): what a desk finds after the companion crashed and came back.</summary>
public sealed class RestartTests(FastHousekeepingFixture fixture) : IClassFixture<FastHousekeepingFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task DesiredConfigurationSurvivesACrashOfTheEmbeddedBroker()
    {
        string password = await Api.RegisterAsync(Companion.Http, "crash-config");
        (await Companion.Http.PutAsync("/api/devices/crash-config/config",
            new StringContent("{\"dead_air_first_ms\":7000}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        Companion.Kill();
        await Companion.RestartAsync();

        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "crash-config", password);
        var desired = ConfigMessage.Parse(await device.ReceiveAsync(Topics.ConfigDesired, TimeSpan.FromSeconds(10)), out _);
        Assert.Equal(7000, desired!.DeadAirFirstMs);
        Assert.Equal(1, desired.Version);
    }

    [Fact]
    public async Task DesksAreNotLeftOnlineAndInACallAfterACrash()
    {
        string password = await Api.RegisterAsync(Companion.Http, "crash-presence");
        var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "crash-presence", password);
        await device.PublishAsync(Topics.Status, new StatusMessage { Online = true, InCall = true, Firmware = "1.0" }.ToJson(), retain: true);
        var shown = (await Api.GetAsync(Companion.Http, "/api/devices/crash-presence")).GetProperty("device");
        Assert.True(shown.GetProperty("online").GetBoolean() && shown.GetProperty("inCall").GetBoolean());

        // SIGKILL: no last will reaches the database.
        Companion.Kill();
        await device.DisposeAsync();
        await Companion.RestartAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            shown = (await Api.GetAsync(Companion.Http, "/api/devices/crash-presence")).GetProperty("device");
            if (!shown.GetProperty("online").GetBoolean() && !shown.GetProperty("inCall").GetBoolean())
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the desk still shows online/in a call 10 s after the restart");
            await Task.Delay(100);
        }

        var floor = await Api.GetAsync(Companion.Client(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword), "/api/floor");
        Assert.DoesNotContain(floor.EnumerateArray(), d => d.GetProperty("desk").GetString() == "d-crash-presence" && d.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task DeadLettersExpireAfterTheRetentionPeriod()
    {
        string password = await Api.RegisterAsync(Companion.Http, "expire-1");
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "expire-1", password);
        await device.PublishAsync(Topics.Call, "junk to expire");
        bool Kept(System.Text.Json.JsonElement list) => list.EnumerateArray().Any(d => d.GetProperty("clientId").GetString() == "expire-1");
        Assert.True(Kept(await Api.GetAsync(Companion.Http, "/api/admin/dead-letters?limit=10000")));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Kept(await Api.GetAsync(Companion.Http, "/api/admin/dead-letters?limit=10000")))
        {
            Assert.True(DateTime.UtcNow < deadline, "a dead letter outlived its 3 s retention by 12 s");
            await Task.Delay(200);
        }
    }
}
