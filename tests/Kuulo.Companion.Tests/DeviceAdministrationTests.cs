using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>Issue 9, items 4, 7 and 13: what facilities type, and what happens to a device's session when they act.</summary>
public sealed class DeviceAdministrationTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task OversizedOrUnprintableNamesAreRefusedWithAClearReason()
    {
        // A 20 MB site: refused (413) or cut off before the companion reads it, and never registered.
        try
        {
            var huge = await Companion.Http.PostAsJsonAsync("/api/devices", new { id = "names-1", site = new string('s', 20_000_000), team = "t", desk = "d", agent = "a" });
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }
        catch (HttpRequestException)
        {
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Companion.Http.GetAsync("/api/devices/names-1")).StatusCode);

        var longSite = await Companion.Http.PostAsJsonAsync("/api/devices", new { id = "names-1", site = new string('s', 65), team = "t", desk = "d", agent = "a" });
        Assert.Equal(HttpStatusCode.BadRequest, longSite.StatusCode);
        Assert.Contains("'site' is 65 characters long; at most 64 are allowed", await longSite.Content.ReadAsStringAsync());

        var control = await Companion.Http.PostAsJsonAsync("/api/devices", new { id = "names-1", site = "s", team = "t\u0000x", desk = "d", agent = "a" });
        Assert.Contains("'team' may only contain printable characters", await control.Content.ReadAsStringAsync());

        await Api.RegisterAsync(Companion.Http, "names-1", agent: "  " + new string('a', 64) + "  ");
        var shown = (await Api.GetAsync(Companion.Http, "/api/devices/names-1")).GetProperty("device");
        Assert.Equal(new string('a', 64), shown.GetProperty("agent").GetString());

        var assign = await Companion.Http.PutAsJsonAsync("/api/devices/names-1/assignment", new { agent = new string('b', 100) });
        Assert.Equal(HttpStatusCode.BadRequest, assign.StatusCode);
        Assert.Equal("application/problem+json", assign.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new string('a', 64), (await Api.GetAsync(Companion.Http, "/api/devices/names-1")).GetProperty("device").GetProperty("agent").GetString());
    }

    [Fact]
    public async Task RotatingAPasswordEndsTheLiveSession()
    {
        string password = await Api.RegisterAsync(Companion.Http, "live-rotate");
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "live-rotate", password);
        Assert.True(device.IsConnected);
        (await Companion.Http.PostAsync("/api/devices/live-rotate/credentials", null)).EnsureSuccessStatusCode();
        await UntilAsync(() => !device.IsConnected, "the device kept its session after its password was rotated");
        await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "live-rotate", password));
    }

    [Fact]
    public async Task ADisabledDeviceIsDisconnectedAndKeptOutUntilEnabled()
    {
        string password = await Api.RegisterAsync(Companion.Http, "live-disable");
        await using (var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "live-disable", password))
        {
            await device.PublishAsync(Topics.Call, DeviceClient.Call(1));
            var disabled = await Companion.Http.PostAsync("/api/devices/live-disable/disable", null);
            Assert.True(JsonDocument.Parse(await disabled.Content.ReadAsStringAsync()).RootElement.GetProperty("disabled").GetBoolean());
            await UntilAsync(() => !device.IsConnected, "a disabled device kept its session");
        }

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "live-disable", password));
        Assert.Contains("BadUserNameOrPassword", refused.ToString());
        Assert.DoesNotContain("live-disable:", await Companion.Http.GetStringAsync("/api/admin/mosquitto/passwords"));

        (await Companion.Http.PostAsync("/api/devices/live-disable/enable", null)).EnsureSuccessStatusCode();
        await using var again = await DeviceClient.ConnectAsync(Companion.MqttPort, "live-disable", password);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, await again.PublishAsync(Topics.Call, DeviceClient.Call(2)));
    }

    [Fact]
    public async Task ADeletedDeviceIsDisconnectedAndGoneButItsCallsStay()
    {
        string password = await Api.RegisterAsync(Companion.Http, "live-delete");
        await using (var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "live-delete", password))
        {
            await device.PublishAsync(Topics.Call, DeviceClient.Call(1));
            Assert.Equal(HttpStatusCode.NoContent, (await Companion.Http.DeleteAsync("/api/devices/live-delete")).StatusCode);
            await UntilAsync(() => !device.IsConnected, "a deleted device kept its session");
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Companion.Http.GetAsync("/api/devices/live-delete")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Companion.Http.DeleteAsync("/api/devices/live-delete")).StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "live-delete", password));
        Assert.Single((await Api.GetAsync(Companion.Http, "/api/calls?device=live-delete")).EnumerateArray());
    }

    [Fact]
    public async Task AConfigurationThatChangesNothingMakesNoNewVersion()
    {
        await Api.RegisterAsync(Companion.Http, "cfg-same");
        async Task<int> PutAsync(object body)
        {
            var response = await Companion.Http.PutAsJsonAsync("/api/devices/cfg-same/config", body);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, text);
            return JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt32();
        }

        Assert.Equal(0, await PutAsync(new { }));
        Assert.Equal(1, await PutAsync(new Dictionary<string, int> { ["dead_air_first_ms"] = 7000 }));
        Assert.Equal(1, await PutAsync(new { }));
        Assert.Equal(1, await PutAsync(new Dictionary<string, int> { ["dead_air_first_ms"] = 7000 }));
        Assert.Equal(2, await PutAsync(new Dictionary<string, int> { ["dead_air_first_ms"] = 8000 }));
    }

    private static async Task UntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(20);
        }
    }
}
