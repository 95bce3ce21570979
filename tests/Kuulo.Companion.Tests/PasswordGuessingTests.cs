using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>Issue 9, item 6: guessing passwords on sign-in, Basic auth and MQTT is throttled.</summary>
public sealed class PasswordGuessingTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task GuessingADashboardPasswordIsThrottledPerAccount()
    {
        using var anonymous = new HttpClient { BaseAddress = Companion.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 20; i++)
        {
            var guess = await anonymous.PostAsJsonAsync("/api/auth/login", new { name = CompanionProcess.FacilitiesUser, password = "guess-" + i });
            statuses.Add(guess.StatusCode);
        }

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        // While throttled even the right password is refused, so a guess that happens to be right gains nothing.
        var right = await anonymous.PostAsJsonAsync("/api/auth/login", new { name = CompanionProcess.FacilitiesUser, password = CompanionProcess.FacilitiesPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.NotNull(right.Headers.RetryAfter);
        Assert.Equal("application/problem+json", right.Content.Headers.ContentType?.MediaType);

        // Basic auth counts against the same account; other accounts are untouched.
        using var basic = Companion.Client(CompanionProcess.FacilitiesUser, CompanionProcess.FacilitiesPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await basic.GetAsync("/api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Companion.Http.GetAsync("/api/devices")).StatusCode);
    }

    [Fact]
    public async Task GuessingADevicePasswordOverMqttIsThrottled()
    {
        string password = await Api.RegisterAsync(Companion.Http, "guessed-1");
        var reasons = new List<string>();
        for (int i = 0; i < 15; i++)
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "guessed-1", "guess-" + i));
            reasons.Add(refused.ToString().Contains("QuotaExceeded") ? "quota" : refused.ToString().Contains("BadUserNameOrPassword") ? "bad" : refused.ToString());
        }

        Assert.Equal(Enumerable.Repeat("bad", 10).Concat(Enumerable.Repeat("quota", 5)), reasons);
        var right = await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "guessed-1", password));
        Assert.Contains("QuotaExceeded", right.ToString());
    }
}

public sealed class UnthrottledFixture() : CompanionFixture(new()
{
    ["SignIn:FailuresPerAccount"] = "1000000",
    ["SignIn:FailuresPerAddress"] = "1000000",
});

/// <summary>Issue 9, item 6: an unknown user name must not answer faster than a known one, and passwords are long.</summary>
public sealed class UserEnumerationTests(UnthrottledFixture fixture) : IClassFixture<UnthrottledFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task UnknownUsersTakeAsLongAsKnownOnes()
    {
        using var known = Companion.Client(CompanionProcess.AdminUser, "wrong-password");
        using var unknown = Companion.Client("nobody-at-all", "wrong-password");
        await known.GetAsync("/api/auth/me");
        await unknown.GetAsync("/api/auth/me");
        var knownMs = new List<double>();
        var unknownMs = new List<double>();
        for (int i = 0; i < 25; i++)
        {
            knownMs.Add(await TimeAsync(known));
            unknownMs.Add(await TimeAsync(unknown));
        }

        double ratio = Median(unknownMs) / Median(knownMs);
        Assert.True(ratio > 0.5, $"unknown user median {Median(unknownMs):0.00} ms vs known {Median(knownMs):0.00} ms (ratio {ratio:0.00})");
    }

    [Fact]
    public async Task AConfiguredPasswordShorterThan12CharactersStopsTheStart()
    {
        var failed = await Assert.ThrowsAsync<InvalidOperationException>(() => CompanionProcess.StartAsync(new Dictionary<string, string>
        {
            ["Users:shorty:Password"] = "elevenchars",
            ["Users:shorty:Role"] = "admin",
        }));
        Assert.Contains("the password must have at least 12 characters", failed.Message);
    }

    private static async Task<double> TimeAsync(HttpClient client)
    {
        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
