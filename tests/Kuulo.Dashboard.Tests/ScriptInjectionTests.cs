using Kuulo.TestSupport;
using Microsoft.Playwright;

namespace Kuulo.Dashboard.Tests;

/// <summary>Issue 9, item 1: a crafted dashboard link must not run script for whoever opens it.</summary>
public sealed class ScriptInjectionTests(BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>The link from the report: markup smuggled into 'by' behind an encoded '&amp;'.</summary>
    private const string CraftedLink = "/#/overview?by=agent%26z%3D%22%3E%3Cimg src=x onerror=alert(document.domain)%3E";

    private CompanionProcess _companion = null!;

    public async Task InitializeAsync() => _companion = await CompanionProcess.StartAsync();

    public Task DisposeAsync()
    {
        _companion.Dispose();
        return Task.CompletedTask;
    }

    private async Task<IPage> SignedInPageAsync()
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _companion.BaseAddress.ToString() });
        var login = await context.APIRequest.PostAsync("/api/auth/login", new()
        {
            DataObject = new { name = CompanionProcess.SupervisorUser, password = CompanionProcess.SupervisorPassword },
        });
        Assert.Equal(200, login.Status);
        return await context.NewPageAsync();
    }

    [Fact]
    public async Task TheCraftedOverviewLinkRunsNothing()
    {
        var page = await SignedInPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        await page.GotoAsync(CraftedLink);
        await page.Locator("#filters").WaitForAsync();
        // Give a broken image's onerror time to fire, were there one.
        await page.WaitForTimeoutAsync(1000);

        Assert.Empty(dialogs);
        Assert.Equal(0, await page.Locator("img[src=x]").CountAsync());
        // The page fell back to a value the API accepts and asks for nothing else.
        Assert.Equal("team", await page.Locator("#by").InputValueAsync());
        Assert.Matches(@"^/api/charts/trend\.svg\?by=team&period=day&metric=interruptions&from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d$", await page.Locator(".chart img").GetAttributeAsync("src"));
    }

    [Fact]
    public async Task TheApiRefusesTheSmuggledParameter()
    {
        using var supervisor = _companion.Client(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
        foreach (var path in new[] { "/api/stats?by=agent&z=%22%3E%3Cimg%20src=x%3E&period=day", "/api/charts/trend.svg?by=agent&z=1" })
        {
            var response = await supervisor.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("unknown query parameter 'z'", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task TheContentSecurityPolicyStopsInjectedEventHandlers()
    {
        var page = await SignedInPageAsync();
        var response = await page.GotoAsync("/#/overview");
        var headers = await response!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"]);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        await page.Locator("#filters").WaitForAsync();

        // Markup that slipped past every escape would still not run: the policy forbids inline handlers.
        await page.EvaluateAsync("() => document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.injected = 1\">')");
        await page.WaitForTimeoutAsync(1000);
        Assert.True(await page.EvaluateAsync<bool>("() => window.injected === undefined"));
    }
}
