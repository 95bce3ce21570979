using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>Issue 9, items 11 and 12: secrets on disk, and sign-in sessions that outlive sign-out.</summary>
public sealed class SessionAndSecretTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    [Fact]
    public async Task ASessionCookieIsWorthlessAfterSignOut()
    {
        var (signedIn, cookie) = await SignInAsync(fixture.Companion, CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await signedIn.PostAsync("/api/auth/logout", null)).StatusCode);

        // Someone kept a copy of the cookie: replayed after sign-out, it opens nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(fixture.Companion, cookie)).StatusCode);
    }

    [Fact]
    public async Task GeneratedPasswordsArePrintedOnceAndOnlyTheirHashesAreKept()
    {
        string data = Path.Combine(Directory.CreateTempSubdirectory("kuulo-secrets-").FullName, "data");
        using var companion = await CompanionProcess.StartAsync(dataDirectory: data, configureUsers: false);
        var printed = await PrintedPasswordsAsync(companion, 3);

        Assert.False(File.Exists(Path.Combine(data, "users.txt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        foreach (var file in Directory.GetFiles(data, "*", SearchOption.AllDirectories))
        {
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite));
            byte[] content = File.ReadAllBytes(file);
            foreach (var password in printed.Values)
            {
                Assert.False(content.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(password)) >= 0, $"{file} holds a password in plain text");
            }
        }

        Assert.Contains("kuulo.db", Directory.GetFiles(data).Select(Path.GetFileName));
        using (var admin = companion.Client("admin", printed["admin"]))
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/devices")).StatusCode);
        }

        // A forgotten password: --reset-password issues a new one; the restart it takes also ends old sessions.
        var (_, cookie) = await SignInAsync(companion, "supervisor", printed["supervisor"]);
        var reset = Parse(companion.RunCommand("--reset-password", "supervisor"));
        await companion.RestartAsync();
        Assert.DoesNotContain(printed["admin"], companion.Output);

        using (var old = companion.Client("supervisor", printed["supervisor"]))
        using (var fresh = companion.Client("supervisor", reset["supervisor"]))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/calls")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/calls")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookieAsync(companion, cookie)).StatusCode);
    }

    private static async Task<Dictionary<string, string>> PrintedPasswordsAsync(CompanionProcess companion, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Parse(companion.Output).Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, "the generated passwords were not printed:\n" + companion.Output);
            await Task.Delay(50);
        }

        return Parse(companion.Output);
    }

    private static Dictionary<string, string> Parse(string output) =>
        Regex.Matches(output, @"^\s+(\S+) \(\w+\): (\S+)\s*$", RegexOptions.Multiline).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    private static async Task<(HttpClient Client, string Cookie)> SignInAsync(CompanionProcess companion, string name, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = companion.BaseAddress };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { name, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kuulo=", StringComparison.Ordinal)).Split(';')[0];
        return (client, cookie);
    }

    private static async Task<HttpResponseMessage> WithCookieAsync(CompanionProcess companion, string cookie)
    {
        using var replay = new HttpClient { BaseAddress = companion.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        return await replay.SendAsync(request);
    }
}
