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

    private async Task<string> RegisterAsync(string id, string agent, string team, string site = "tampere")
    {
        var response = await _companion.Http.PostAsJsonAsync("/api/devices", new { id, site, team, desk = id, agent });
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("password").GetString()!;
    }

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.Screenshots, name + ".png"), FullPage = true });

    [Fact]
    public async Task SignInShowsAnOverviewWhoseNumbersAreTheApis()
    {
        string pa = await RegisterAsync("dash-a", "aino", "blue");
        string pb = await RegisterAsync("dash-b", "eero", "green");
        // Within the overview's default range (the last 30 days), all on one day.
        long now = new DateTimeOffset(DateTime.UtcNow.Date.AddHours(1), TimeSpan.Zero).ToUnixTimeMilliseconds();
        await using (var a = await DeviceClient.ConnectAsync(_companion.MqttPort, "dash-a", pa))
        {
            await a.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 3, startUnixMs: now));
            await a.PublishAsync(Topics.Call, DeviceClient.Call(2, interruptions: 1, startUnixMs: now + 60_000));
        }

        await using (var b = await DeviceClient.ConnectAsync(_companion.MqttPort, "dash-b", pb))
        {
            await b.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 0, durationMs: 90_000, startUnixMs: now));
        }

        var page = await SignInAsync(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
        await page.Locator("#stats").WaitForAsync();
        await ShotAsync(page, "overview");

        var api = JsonDocument.Parse(await _companion.Http.GetStringAsync("/api/stats?by=team&period=day")).RootElement.GetProperty("rows").EnumerateArray().ToList();
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

    private static long At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public async Task TheOverviewShowsTheChosenDateRangeInTheSitesLocalDays()
    {
        Assert.True((await _companion.Http.PutAsJsonAsync("/api/sites/helsinki", new { timeZone = "Europe/Helsinki" })).IsSuccessStatusCode);
        string password = await RegisterAsync("range-1", "ranger", "range-team", site: "helsinki");
        await using (var device = await DeviceClient.ConnectAsync(_companion.MqttPort, "range-1", password))
        {
            // 23:30 UTC on the 14th is 01:30 on the 15th in Helsinki.
            await device.PublishAsync(Topics.Call, DeviceClient.Call(1, interruptions: 2, startUnixMs: At("2026-01-14T23:30:00Z")));
            await device.PublishAsync(Topics.Call, DeviceClient.Call(2, interruptions: 4, startUnixMs: At("2026-02-10T10:00:00Z")));
        }

        var page = await SignInAsync(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
        await page.GotoAsync("/#/overview?by=agent&period=day&site=helsinki&from=2026-01-01&to=2026-01-31");
        var rows = page.Locator("#stats tr").Filter(new() { HasNot = page.Locator("th") });
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Locator("[data-field=period]")).ToHaveTextAsync("Thu, 15 Jan 2026");
        await Assertions.Expect(page.Locator("#zone-note")).ToContainTextAsync("helsinki (Europe/Helsinki)");
        await ShotAsync(page, "overview-range");

        // The agent page shows the call at its Helsinki time.
        await rows.GetByRole(AriaRole.Link, new() { Name = "ranger" }).ClickAsync();
        await Assertions.Expect(page.Locator("#calls")).ToContainTextAsync("15 Jan 2026, 01:30:00");
        await Assertions.Expect(page.Locator("#zone-note")).ToContainTextAsync("Europe/Helsinki");

        // Another range, chosen in the form: February's call only, and by month.
        // Each change re-renders the page from the new address once its data arrives; the address changes at once.
        // So every step waits for the rows that step should draw (not for the address) before the next.
        await page.GotoAsync("/#/overview?by=agent&period=day&site=helsinki&from=2026-01-01&to=2026-01-31");
        await Assertions.Expect(rows.Locator("[data-field=period]")).ToHaveTextAsync("Thu, 15 Jan 2026");
        // 'to' first: each change reloads the page, and 1 Feb to 31 Jan would be refused (the form replaced by the error).
        await page.Locator("#to").FillAsync("2026-02-28");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await page.Locator("#from").FillAsync("2026-02-01");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Locator("[data-field=period]")).ToHaveTextAsync("Tue, 10 Feb 2026");
        await page.Locator("#period").SelectOptionAsync("month");
        await Assertions.Expect(rows.Locator("[data-field=period]")).ToHaveTextAsync("Sun, 1 Feb 2026");
        // February against January: 4 interruptions per call against 2.
        await Assertions.Expect(rows.Locator("[data-metric=interruptionsPerCall]")).ToHaveTextAsync("4.00 ▲2.00");
        StringAssert(await page.Locator(".chart img").GetAttributeAsync("src"), "from=2026-02-01", "to=2026-02-28", "period=month");
    }

    [Fact]
    public async Task TheAgentPageListsThatAgentsOwnAlertsPageByPage()
    {
        string mine = await RegisterAsync("moments-1", "alerted-agent", "blue");
        string other = await RegisterAsync("moments-2", "other-agent", "blue");
        long start = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        await using (var a = await DeviceClient.ConnectAsync(_companion.MqttPort, "moments-1", mine))
        await using (var b = await DeviceClient.ConnectAsync(_companion.MqttPort, "moments-2", other))
        {
            await a.PublishAsync(Topics.Call, DeviceClient.Call(1000, startUnixMs: start));
            for (int i = 1; i <= 60; i++)
            {
                await a.PublishAsync(Topics.Alert, Alert(i, start + i * 1000));
                await b.PublishAsync(Topics.Alert, Alert(i, start + i * 1000));
            }
        }

        var page = await SignInAsync(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
        await page.GotoAsync("/#/agent/alerted-agent");
        await Assertions.Expect(page.Locator("#alert-count")).ToContainTextAsync("60 since");
        await Assertions.Expect(page.Locator("#moments tr")).ToHaveCountAsync(26);
        await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alerts-card .pager")).ToContainTextAsync("26–50 of 60");
        await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Assertions.Expect(page.Locator("#alerts-card .pager")).ToContainTextAsync("51–60 of 60");
        await Assertions.Expect(page.Locator("#moments tr")).ToHaveCountAsync(11);
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Older" }).IsVisibleAsync());

        // The metric selector changes the trend; the configuration card says what was in force.
        await page.Locator("#agent-metric").SelectOptionAsync("dead_air");
        await Assertions.Expect(page.Locator(".chart img")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("metric=dead_air"));
        await Assertions.Expect(page.Locator("#config-now")).ToContainTextAsync("moments-1 v0");
        await ShotAsync(page, "agent-alerts");
    }

    [Fact]
    public async Task TheFloorGroupsByTeamHasAWallModeAndTurnsRedOnlyBriefly()
    {
        var passwords = new Dictionary<string, string>();
        foreach (var (id, agent, team) in new[] { ("wall-1", "wall-a", "north"), ("wall-2", "wall-b", "north"), ("wall-3", "wall-c", "south") })
        {
            passwords[id] = await RegisterAsync(id, agent, team);
        }

        var page = await SignInAsync(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword, new ViewportSize { Width = 1920, Height = 1080 });
        await page.GotoAsync("/#/floor?group=team&wall=1&red=5&n=3");
        await page.Locator("#floor.wall").WaitForAsync();
        await Assertions.Expect(page.Locator(".desk-group[data-group=north] .tile")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator(".desk-group[data-group=south] .tile")).ToHaveCountAsync(1);

        await using (var device = await DeviceClient.ConnectAsync(_companion.MqttPort, "wall-1", passwords["wall-1"]))
        {
            for (int i = 1; i <= 5; i++)
            {
                await device.PublishAsync(Topics.Alert, Alert(i, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            }
        }

        await Assertions.Expect(page.Locator(".tile.alerted")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".tile[data-agent=wall-a]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("alerted"));
        // The list keeps the last three; the tile goes back to normal after five seconds.
        await Assertions.Expect(page.Locator("#alerts tr")).ToHaveCountAsync(4);
        await ShotAsync(page, "floor-wall-mode");
        await Assertions.Expect(page.Locator(".tile.alerted")).ToHaveCountAsync(0, new() { Timeout = 15_000 });

        // Out of wall mode and ungrouped: one grid, the team shown on each tile.
        await page.Locator("#wall-mode").UncheckAsync();
        await page.Locator("#group").SelectOptionAsync("none");
        await Assertions.Expect(page.Locator("#floor")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("wall"));
        await Assertions.Expect(page.Locator(".desk-group")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".tile[data-agent=wall-c]")).ToContainTextAsync("south");
    }

    private static string Alert(long seq, long unixMs) =>
        new AlertMessage { Seq = seq, CallNumber = 1, UnixMs = unixMs, AtMs = 4000, Type = Kuulo.Core.Turns.EventType.Interruption, Stage = 1 }.ToJson();

    private static void StringAssert(string? text, params string[] parts)
    {
        Assert.NotNull(text);
        foreach (var part in parts)
        {
            Assert.Contains(part, text);
        }
    }
}
