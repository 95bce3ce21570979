using System.Net;
using System.Net.Http.Json;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>Issue 9, item 2: a device under the companion's own account name got the companion's rights.</summary>
public sealed class ReservedNameTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Theory]
    [InlineData("kuulo-companion")]
    [InlineData("kuulo-companion-evil")]
    public async Task TheCompanionsNameCannotBeRegistered(string id)
    {
        var response = await Companion.Http.PostAsJsonAsync("/api/devices", new { id, site = "s", team = "t", desk = "d", agent = "a" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("reserved", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ADeviceRowCarryingTheCompanionsNameCannotSignInToTheBroker()
    {
        // A database from before the name was reserved: a registered device carries the companion's name.
        string password = await Api.RegisterAsync(Companion.Http, "impostor-1");
        Assert.Equal(1, await Database.ExecuteAsync(Companion, "UPDATE devices SET id = 'kuulo-companion' WHERE id = 'impostor-1'"));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(Companion.MqttPort, "kuulo-companion", password));
        Assert.Contains("BadUserNameOrPassword", refused.ToString());
    }

    [Fact]
    public async Task ThePasswordFileHasOneLinePerUserAndNoReservedDevice()
    {
        await Api.RegisterAsync(Companion.Http, "impostor-2");
        await Database.ExecuteAsync(Companion, "UPDATE devices SET id = 'kuulo-companion-old' WHERE id = 'impostor-2'");
        var users = (await Companion.Http.GetStringAsync("/api/admin/mosquitto/passwords")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l[..l.IndexOf(':')]).ToList();
        Assert.Equal(users.Count, users.Distinct().Count());
        Assert.DoesNotContain("kuulo-companion-old", users);
    }
}
