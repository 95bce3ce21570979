using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>Issue 10, group configuration: fleet, site and team layers under per-device overrides, merged into one retained document per desk.</summary>
public sealed class GroupConfigTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task EachParameterComesFromTheHighestLayerThatSetsItAndSaysWhich()
    {
        await Api.RegisterAsync(Companion.Http, "layers-1", team: "layers-red", site: "layers-site");
        await Api.RegisterAsync(Companion.Http, "layers-2", team: "layers-red", site: "layers-site");
        await Api.RegisterAsync(Companion.Http, "layers-3", team: "layers-green", site: "layers-site");

        var site = await PutGroupAsync("site?name=layers-site", new { led_brightness = 30, monologue_ms = 90_000 });
        Assert.Equal(3, site.GetProperty("members").GetInt32());
        Assert.Equal(3, site.GetProperty("changed").GetInt32());
        var team = await PutGroupAsync("team?name=layers-red", new { led_brightness = 40, dead_air_first_ms = 7000 });
        Assert.Equal(2, team.GetProperty("members").GetInt32());
        (await Companion.Http.PutAsJsonAsync("/api/devices/layers-1/config", new { led_brightness = 90 })).EnsureSuccessStatusCode();

        var one = await ConfigAsync("layers-1");
        Assert.Equal((90, "device"), one["led_brightness"]);
        Assert.Equal((7000, "team"), one["dead_air_first_ms"]);
        Assert.Equal((90_000, "site"), one["monologue_ms"]);
        Assert.Equal((Kuulo.Core.Config.DeskConfig.Parameters[Kuulo.Core.Config.DeskConfig.VadHangoverMsId].Default, "default"), one["vad_hangover_ms"]);
        var three = await ConfigAsync("layers-3");
        Assert.Equal((30, "site"), three["led_brightness"]);
        Assert.Equal((5000, "default"), three["dead_air_first_ms"]);

        // What the device receives is the same merge, as one retained document.
        string password = await PasswordAsync("layers-2");
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "layers-2", password);
        var sent = ConfigMessage.Parse(await device.ReceiveAsync(Topics.ConfigDesired, TimeSpan.FromSeconds(5)), out var error);
        Assert.Null(error);
        Assert.Equal(40, sent!.LedBrightness);
        Assert.Equal(7000, sent.DeadAirFirstMs);
        Assert.Equal(90_000, sent.MonologueMs);

        // Clearing the override (null) lets the team's value show through again.
        (await Companion.Http.PutAsJsonAsync("/api/devices/layers-1/config", new Dictionary<string, int?> { ["led_brightness"] = null })).EnsureSuccessStatusCode();
        Assert.Equal((40, "team"), (await ConfigAsync("layers-1"))["led_brightness"]);

        // Moving a desk to another team re-merges and sends it the other team's configuration.
        (await Companion.Http.PutAsJsonAsync("/api/devices/layers-1/assignment", new { team = "layers-green" })).EnsureSuccessStatusCode();
        Assert.Equal((30, "site"), (await ConfigAsync("layers-1"))["led_brightness"]);
    }

    [Fact]
    public async Task APushToATeamIsOneActionAndItsStatusCountsReportsAndRefusals()
    {
        var passwords = new Dictionary<string, string>();
        for (int i = 0; i < 6; i++)
        {
            passwords[$"push-{i}"] = await Api.RegisterAsync(Companion.Http, $"push-{i}", team: "push-team", site: "push-site");
        }

        var push = await PutGroupAsync("team?name=push-team", new { alert_cooldown_ms = 20_000 });
        Assert.Equal(6, push.GetProperty("members").GetInt32());
        Assert.Equal(6, push.GetProperty("changed").GetInt32());

        // Two desks apply it, one refuses it with a reason, three say nothing yet.
        for (int i = 0; i < 3; i++)
        {
            await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, $"push-{i}", passwords[$"push-{i}"]);
            var desired = ConfigMessage.Parse(await device.ReceiveAsync(Topics.ConfigDesired, TimeSpan.FromSeconds(5)), out _)!;
            var report = i < 2
                ? new ConfigReport { AppliedVersion = desired.Version }
                : new ConfigReport { AppliedVersion = 0, RejectedVersion = desired.Version, Error = "flash is full" };
            await device.PublishAsync(Topics.ConfigReported, report.ToJson(), retain: true);
        }

        var status = await UntilAsync(async () => await Api.GetAsync(Companion.Http, "/api/config/groups/team?name=push-team"),
            s => s.GetProperty("reported").GetInt32() == 2 && s.GetProperty("rejected").GetArrayLength() == 1);
        Assert.Equal(3, status.GetProperty("pending").GetInt32());
        Assert.Equal("push-2", status.GetProperty("rejected")[0].GetProperty("device").GetString());
        Assert.Equal("flash is full", status.GetProperty("rejected")[0].GetProperty("error").GetString());
        Assert.Equal(20_000, status.GetProperty("values").GetProperty("alert_cooldown_ms").GetInt32());

        // The same values again change nothing and make no new device versions.
        var again = await PutGroupAsync("team?name=push-team", new { alert_cooldown_ms = 20_000 });
        Assert.Equal(0, again.GetProperty("changed").GetInt32());

        var listed = await Api.GetAsync(Companion.Http, "/api/config/groups");
        Assert.Contains(listed.EnumerateArray(), g => g.GetProperty("scope").GetString() == "team" && g.GetProperty("name").GetString() == "push-team");
    }

    [Fact]
    public async Task AGroupPushThatWouldBreakOneMembersConfigurationIsRefusedWhole()
    {
        await Api.RegisterAsync(Companion.Http, "strict-1", team: "strict-team");
        await Api.RegisterAsync(Companion.Http, "strict-2", team: "strict-team");
        (await Companion.Http.PutAsJsonAsync("/api/devices/strict-2/config", new { dead_air_second_ms = 6000 })).EnsureSuccessStatusCode();
        var before = await Api.GetAsync(Companion.Http, "/api/devices/strict-1");

        // 8 s first stage is fine for strict-1 (second stage 10 s) but not for strict-2 (second stage 6 s).
        var refused = await Companion.Http.PutAsJsonAsync("/api/config/groups/team?name=strict-team", new { dead_air_first_ms = 8000 });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("device 'strict-2' would get an invalid configuration: dead_air_second_ms (6000) must be greater than dead_air_first_ms (8000)",
            await refused.Content.ReadAsStringAsync());
        var after = await Api.GetAsync(Companion.Http, "/api/devices/strict-1");
        Assert.Equal(before.GetProperty("device").GetProperty("desiredVersion").GetInt32(), after.GetProperty("device").GetProperty("desiredVersion").GetInt32());
        Assert.Equal(0, (await Api.GetAsync(Companion.Http, "/api/config/groups/team?name=strict-team")).GetProperty("version").GetInt32());

        // Out of range, unknown names, and group addresses that do not exist: clear reasons, nothing stored.
        var range = await Companion.Http.PutAsJsonAsync("/api/config/groups/fleet", new { led_brightness = 101 });
        Assert.Contains("led_brightness must be between 0 and 100", await range.Content.ReadAsStringAsync());
        var unknown = await Companion.Http.PutAsJsonAsync("/api/config/groups/fleet", new { loudness = 1 });
        Assert.Contains("unknown setting 'loudness'", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Companion.Http.PutAsJsonAsync("/api/config/groups/building?name=x", new { quiet = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Companion.Http.PutAsJsonAsync("/api/config/groups/team", new { quiet = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Companion.Http.PutAsJsonAsync("/api/config/groups/team?name=" + new string('t', 65), new { quiet = 1 })).StatusCode);
    }

    private async Task<JsonElement> PutGroupAsync(string address, object values)
    {
        var response = await Companion.Http.PutAsJsonAsync("/api/config/groups/" + address, values);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<Dictionary<string, (int, string)>> ConfigAsync(string device) =>
        (await Api.GetAsync(Companion.Http, $"/api/devices/{device}")).GetProperty("desiredConfig").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => (p.GetProperty("value").GetInt32(), p.GetProperty("source").GetString()!));

    private async Task<string> PasswordAsync(string device) =>
        JsonDocument.Parse(await (await Companion.Http.PostAsync($"/api/devices/{device}/credentials", null)).Content.ReadAsStringAsync())
            .RootElement.GetProperty("password").GetString()!;

    private static async Task<JsonElement> UntilAsync(Func<Task<JsonElement>> read, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement value;
        do
        {
            value = await read();
            if (done(value))
            {
                return value;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        return value;
    }
}
