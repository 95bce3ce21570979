using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;
using Microsoft.Playwright;

namespace Kuulo.Dashboard.Tests;

/// <summary>Issue 10 in Chromium: a team push from the Fleet page, CSV registration, the inventory's filters, aborting a rollout, and a site's time zone.</summary>
public sealed class FleetPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private CompanionProcess _companion = null!;

    private static readonly ECDsa ReleaseKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public async Task InitializeAsync() => _companion = await CompanionProcess.StartAsync(new Dictionary<string, string>
    {
        ["Fleet:FirmwareSigningKey"] = FirmwareImages.PublicKey(ReleaseKey),
    });

    public Task DisposeAsync()
    {
        _companion.Dispose();
        return Task.CompletedTask;
    }

    private async Task<IPage> SignInAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _companion.BaseAddress.ToString(), AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync(CompanionProcess.FacilitiesUser);
        await page.GetByLabel("Password").FillAsync(CompanionProcess.FacilitiesPassword);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#who").WaitForAsync();
        return page;
    }

    private async Task<string> RegisterAsync(string id, string team, string site = "tampere")
    {
        var response = await _companion.Http.PostAsJsonAsync("/api/devices", new { id, site, team, desk = id, agent = "a-" + id });
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("password").GetString()!;
    }

    [Fact]
    public async Task ARolloutIsAbortedFromTheFirmwarePageAndItsWaitingDesksAreCancelled()
    {
        foreach (var id in new[] { "fw-1", "fw-2", "fw-3" })
        {
            await RegisterAsync(id, "fw-team");
        }

        var image = RandomNumberGenerator.GetBytes(2000);
        (await FirmwareImages.UploadAsync(_companion.Http, "7.0.0", image, FirmwareImages.Sign(ReleaseKey, "7.0.0", image))).EnsureSuccessStatusCode();
        (await _companion.Http.PostAsJsonAsync("/api/firmware/rollouts", new { version = "7.0.0", scope = "team", name = "fw-team", canaryPercent = 34 })).EnsureSuccessStatusCode();

        var page = await SignInAsync();
        await page.GotoAsync("/#/fleet/firmware");
        var card = page.Locator("[data-rollout]").First;
        await Assertions.Expect(card.Locator("[data-field=state]")).ToHaveTextAsync("canary");
        // Away and back: the page is shown a second time, and one click must still abort once.
        await page.GotoAsync("/#/fleet/provision");
        await page.GotoAsync("/#/fleet/firmware");
        await Assertions.Expect(card.Locator("[data-field=state]")).ToHaveTextAsync("canary");
        int dialogs = 0;
        page.Dialog += async (_, dialog) => { dialogs++; await dialog.AcceptAsync(); };
        await card.GetByRole(AriaRole.Button, new() { Name = "Abort" }).ClickAsync();

        card = page.Locator("[data-rollout]").First;
        await Assertions.Expect(card.Locator("[data-field=state]")).ToHaveTextAsync("aborted");
        await Assertions.Expect(card.Locator("[data-state=cancelled]")).ToHaveTextAsync("cancelled: 3");
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Abort" })).ToHaveCountAsync(0);
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Advance past the canaries (34 %)" })).ToHaveCountAsync(0);
        Assert.Equal(1, dialogs);
    }

    [Fact]
    public async Task ASitesTimeZoneIsSetOnTheSitesTabAndAnUnknownZoneIsRefused()
    {
        await RegisterAsync("tz-1", "tz-team", site: "oulu");
        var page = await SignInAsync();
        await page.GotoAsync("/#/fleet/sites");
        var row = page.Locator("tr[data-site=oulu]");
        var zone = row.GetByLabel("Time zone of oulu");

        await zone.FillAsync("Mars/Olympus_Mons");
        await row.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(row.Locator("[data-field=result]")).ToContainTextAsync("Mars/Olympus_Mons");
        await Assertions.Expect(row.Locator("[data-field=result]")).ToHaveClassAsync("error");

        await zone.FillAsync("Europe/Helsinki");
        await row.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(row.Locator("[data-field=result]")).ToHaveTextAsync("Saved: Europe/Helsinki");
        var sites = JsonDocument.Parse(await _companion.Http.GetStringAsync("/api/sites")).RootElement;
        Assert.Contains(sites.EnumerateArray(), s => s.GetProperty("name").GetString() == "oulu" && s.GetProperty("timeZone").GetString() == "Europe/Helsinki");
    }

    [Fact]
    public async Task APushToATeamReachesEveryDeskAndThePageCountsTheirReports()
    {
        var passwords = new Dictionary<string, string>();
        foreach (var id in new[] { "gp-1", "gp-2", "gp-3" })
        {
            passwords[id] = await RegisterAsync(id, "red");
        }

        var page = await SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Fleet" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Group configuration" }).ClickAsync();
        await page.GetByLabel("Group").SelectOptionAsync("team:red");
        await page.GetByLabel("Parameter").SelectOptionAsync("led_brightness");
        await page.GetByLabel("Value").FillAsync("25");
        await page.GetByRole(AriaRole.Button, new() { Name = "Push" }).ClickAsync();
        await Assertions.Expect(page.Locator("#gp-result")).ToContainTextAsync("3 of 3 desks get a new configuration");

        // One desk applies it, one refuses it: the table catches up on its own.
        await using (var desk = await DeviceClient.ConnectAsync(_companion.MqttPort, "gp-1", passwords["gp-1"]))
        {
            var desired = ConfigMessage.Parse(await desk.ReceiveAsync(Topics.ConfigDesired, TimeSpan.FromSeconds(5)), out _)!;
            Assert.Equal(25, desired.LedBrightness);
            await desk.PublishAsync(Topics.ConfigReported, new ConfigReport { AppliedVersion = desired.Version }.ToJson(), retain: true);
        }

        await using (var desk = await DeviceClient.ConnectAsync(_companion.MqttPort, "gp-2", passwords["gp-2"]))
        {
            var desired = ConfigMessage.Parse(await desk.ReceiveAsync(Topics.ConfigDesired, TimeSpan.FromSeconds(5)), out _)!;
            await desk.PublishAsync(Topics.ConfigReported, new ConfigReport { RejectedVersion = desired.Version, Error = "LED driver missing" }.ToJson(), retain: true);
        }

        var row = page.Locator("#groups tr[data-group='team:red']");
        await Assertions.Expect(row.Locator("[data-field=reported]")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        await Assertions.Expect(row.Locator("[data-field=pending]")).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator("[data-field=rejected]")).ToContainTextAsync("gp-2 (v1): LED driver missing");

        // The device page says where the value comes from.
        await page.GotoAsync("/#/devices?device=gp-3");
        await Assertions.Expect(page.Locator("#config-sources tr[data-parameter=led_brightness]")).ToContainTextAsync("team red");
    }

    [Fact]
    public async Task ACsvRegistersDesksAndHandsOverTheirCredentialsAndSettingsOnce()
    {
        var page = await SignInAsync();
        await page.GotoAsync("/#/fleet/provision");
        await page.GetByLabel("or paste it").FillAsync("id,site,team,desk,agent\ncsv-1,Oulu,blue,D1,Aino\ncsv-2,Oulu,blue,D2,Eero\ncsv-1,Oulu,blue,D3,Ilona\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.Locator("#bulk-error")).ToContainTextAsync("line 4: device 'csv-1' appears twice in the file");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await _companion.Http.GetAsync("/api/devices/csv-1")).StatusCode);

        await page.GetByLabel("or paste it").FillAsync("id,site,team,desk,agent\ncsv-1,Oulu,blue,D1,Aino\ncsv-2,Oulu,blue,D2,Eero\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.Locator("#registered h3")).ToHaveTextAsync("Registered 2 desks");

        var credentials = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download credentials CSV" }).ClickAsync());
        var lines = (await File.ReadAllTextAsync((await credentials.PathAsync())!)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { "id", "csv-1", "csv-2" }, lines.Select(l => l.Split(',')[0]));
        var settingsFile = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download csv-2.settings.json" }).ClickAsync());
        Assert.Equal("csv-2.settings.json", settingsFile.SuggestedFilename);
        var settings = JsonDocument.Parse(await File.ReadAllTextAsync((await settingsFile.PathAsync())!)).RootElement;
        Assert.Equal("", settings.GetProperty("wifi_ssid").GetString());
        string password = settings.GetProperty("device_password").GetString()!;
        Assert.Equal(lines[2].Split(',')[1], password);

        // The downloaded credentials are the desk's: it signs in with them.
        await using var desk = await DeviceClient.ConnectAsync(_companion.MqttPort, "csv-2", password);
        Assert.True(desk.IsConnected);
    }

    [Fact]
    public async Task TheInventoryFiltersBySiteTeamStatusAndSearch()
    {
        string online = await RegisterAsync("inv-oulu-1", "blue", "oulu");
        await RegisterAsync("inv-oulu-2", "green", "oulu");
        await RegisterAsync("inv-turku-1", "blue", "turku");
        await using var desk = await DeviceClient.ConnectAsync(_companion.MqttPort, "inv-oulu-1", online);
        await desk.PublishAsync(Topics.Status, new StatusMessage
        {
            Online = true, UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Firmware = "1.4.2", Rssi = -81, FreeHeapBytes = 150_000,
            UptimeSeconds = 7200, Queued = 3, InCall = true,
        }.ToJson(), retain: true);

        var page = await SignInAsync();
        await page.GotoAsync("/#/fleet");
        await Assertions.Expect(page.Locator("[data-count=total] h3")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("[data-count=inCall] h3")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("[data-count=weakWifi] h3")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-firmware='1.4.2']")).ToHaveTextAsync("1.4.2: 1");

        var rows = page.Locator("#inventory tr[data-device]");
        await page.GetByLabel("Site").SelectOptionAsync("oulu");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await page.GetByLabel("Team").SelectOptionAsync("green");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-device", "inv-oulu-2");

        await page.GotoAsync("/#/fleet");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await page.GetByLabel("Status").SelectOptionAsync("offline");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await page.GotoAsync("/#/fleet");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await page.Locator("[data-count=weakWifi]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First.Locator("td").Nth(6)).ToHaveTextAsync("-81");

        await page.GotoAsync("/#/fleet");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await page.GetByLabel("Search").FillAsync("turku");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-device", "inv-turku-1");
        Assert.Contains("q=turku", page.Url);
    }
}
