using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.Desk.Unit;
using Kuulo.TestSupport;
using Microsoft.Playwright;

namespace Kuulo.Dashboard.Tests;

public sealed class DashboardTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private CompanionProcess _companion = null!;

    public async Task InitializeAsync() => _companion = await CompanionProcess.StartAsync();

    public Task DisposeAsync()
    {
        _companion.Dispose();
        return Task.CompletedTask;
    }

    private async Task<IPage> SignInAsync(string user, string password, ViewportSize? viewport = null)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _companion.BaseAddress.ToString(), ViewportSize = viewport ?? new ViewportSize { Width = 1366, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#who").WaitForAsync();
        return page;
    }

    private async Task<string> RegisterAsync(string id, string agent, string team)
    {
        var response = await _companion.Http.PostAsJsonAsync("/api/devices", new { id, site = "tampere", team, desk = id, agent });
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("password").GetString()!;
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, name + ".png"), FullPage = true });

    [Fact]
    public async Task SignInShowsAnOverviewWhoseNumbersAreTheApis()
    {
        string pa = await RegisterAsync("dash-a", "aino", "blue");
        string pb = await RegisterAsync("dash-b", "eero", "green");
        await using (var a = await DeviceClient.ConnectAsync(_companion.MqttPort, "dash-a", pa))
        {
            await a.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 3));
            await a.PublishAsync(Topics.Call, DeviceClient.Call(2, interruptions: 1));
        }

        await using (var b = await DeviceClient.ConnectAsync(_companion.MqttPort, "dash-b", pb))
        {
            await b.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 0, durationMs: 90_000));
        }

        var page = await SignInAsync(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
        await page.Locator("#stats").WaitForAsync();
        await ShotAsync(page, "overview");

        var api = JsonDocument.Parse(await _companion.Http.GetStringAsync("/api/stats?by=team&period=day")).RootElement.EnumerateArray().ToList();
        var rows = page.Locator("#stats tr").Filter(new() { HasNot = page.Locator("th") });
        Assert.Equal(api.Count, await rows.CountAsync());
        foreach (var expected in api)
        {
            var row = rows.Filter(new() { HasText = expected.GetProperty("key").GetString() });
            Assert.Equal(expected.GetProperty("calls").GetInt64().ToString(CultureInfo.InvariantCulture), await row.Locator("[data-metric=calls]").InnerTextAsync());
            Assert.Equal(expected.GetProperty("interruptionsPerCall").GetDouble().ToString("0.00", CultureInfo.InvariantCulture), await row.Locator("[data-metric=interruptionsPerCall]").InnerTextAsync());
            Assert.Equal((100 * expected.GetProperty("agentTalkShare").GetDouble()).ToString("0", CultureInfo.InvariantCulture), await row.Locator("[data-metric=agentTalkShare]").InnerTextAsync());
        }

        // The chart is the server's SVG and shows both teams.
        var chart = await _companion.Client(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword).GetStringAsync("/api/charts/trend.svg?by=team&period=day&metric=interruptions");
        Assert.Contains("blue", chart);
        Assert.Contains("green", chart);

        // The agent page: the per-call table.
        await page.GotoAsync("/#/overview?by=agent&period=day&metric=interruptions");
        await page.GetByRole(AriaRole.Link, new() { Name = "aino" }).ClickAsync();
        await page.Locator("#calls").WaitForAsync();
        Assert.Equal(3, await page.Locator("#calls tr").CountAsync());
        await ShotAsync(page, "agent");
    }

    [Fact]
    public async Task ACallFromAHostDeskUnitAppearsOnTheLiveFloorWithinSeconds()
    {
        string password = await RegisterAsync("dash-live", "helmi", "blue");
        var page = await SignInAsync(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword, new ViewportSize { Width = 1920, Height = 1080 });
        await page.GotoAsync("/#/floor");
        try
        {
            await page.Locator(".tile[data-agent=helmi]").WaitForAsync(new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail("no tile for helmi on the floor page:\n" + await page.ContentAsync());
        }

        // A real host desk unit plays a conversation with an interruption in it (a shared sample).
        var dir = Directory.CreateTempSubdirectory("kuulo-dash-").FullName;
        string wav = Path.Combine(CompanionProcess.RepoRoot(), "..", "shared", "corpus", "sample03.wav");
        Assert.True(File.Exists(wav), $"{wav} is missing");
        await using var unit = new DeskUnit(new UnitOptions
        {
            DeviceId = "dash-live", Password = password, BrokerPort = _companion.MqttPort, Speed = 0, DataDirectory = dir,
            StatusInterval = TimeSpan.FromSeconds(1),
        }, PcmSource.Files(new[] { wav }, loop: false));
        await unit.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        await page.Locator("#alerts tr", new() { HasText = "helmi" }).First.WaitForAsync(new() { Timeout = 10_000 });
        await ShotAsync(page, "floor-wall-display");
    }

    [Fact]
    public async Task FacilitiesPushesAConfigurationAndSeesTheReportedVersionChange()
    {
        string password = await RegisterAsync("dash-cfg", "juho", "green");
        var dir = Directory.CreateTempSubdirectory("kuulo-dash-").FullName;
        string wav = Path.Combine(CompanionProcess.RepoRoot(), "..", "shared", "corpus", "sample00.wav");
        using var stop = new CancellationTokenSource();
        await using var unit = new DeskUnit(new UnitOptions
        {
            DeviceId = "dash-cfg", Password = password, BrokerPort = _companion.MqttPort, Speed = 1, DataDirectory = dir,
            StatusInterval = TimeSpan.FromSeconds(1),
        }, PcmSource.Files(new[] { wav }, loop: true));
        var running = unit.RunAsync(stop.Token);

        var page = await SignInAsync(CompanionProcess.FacilitiesUser, CompanionProcess.FacilitiesPassword);
        await page.GotoAsync("/#/devices");
        var row = page.Locator("tr[data-device=dash-cfg]");
        await row.WaitForAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Configure" }).ClickAsync();

        // Out of range: refused, with the reason, inline.
        await page.GetByLabel("Parameter").SelectOptionAsync("dead_air_first_ms");
        await page.GetByLabel("Value").FillAsync("50");
        await page.GetByRole(AriaRole.Button, new() { Name = "Push" }).ClickAsync();
        await Assertions.Expect(page.Locator("#configure-error")).ToContainTextAsync("dead_air_first_ms must be between 1000 and 60000");

        await page.GetByLabel("Value").FillAsync("7000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Push" }).ClickAsync();
        await Assertions.Expect(row.Locator("[data-field=config]")).ToHaveTextAsync("v1 / v1", new() { Timeout = 15_000 });
        await ShotAsync(page, "devices");

        // Reassign the desk to another agent: the table shows it.
        await row.GetByRole(AriaRole.Button, new() { Name = "Assign" }).ClickAsync();
        await page.Locator("#as-agent").FillAsync("kaisa");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-device=dash-cfg]")).ToContainTextAsync("kaisa");
        stop.Cancel();
        await running;
    }

    [Fact]
    public async Task ASupervisorCannotReachTheDevicesPage()
    {
        var page = await SignInAsync(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
        Assert.False(await page.GetByRole(AriaRole.Link, new() { Name = "Devices" }).IsVisibleAsync());
        await page.GotoAsync("/#/devices");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "cannot open this page" })).ToBeVisibleAsync();
        var response = await page.APIRequest.GetAsync("/api/devices");
        Assert.Equal(403, response.Status);
        await ShotAsync(page, "supervisor-denied");
    }

    [Fact]
    public async Task WrongPasswordIsRefusedOnTheSignInForm()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _companion.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync(CompanionProcess.SupervisorUser);
        await page.GetByLabel("Password").FillAsync("nope");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("wrong user name or password");
        await ShotAsync(page, "sign-in");
    }
}
