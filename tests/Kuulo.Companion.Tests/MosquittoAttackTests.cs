using System.Net;
using System.Net.Http.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>Issue 9 attacks against a real Mosquitto run with the files the companion exports (SQLite behind it).</summary>
public sealed class MosquittoAttackTests : IAsyncLifetime
{
    private const string CompanionPassword = "companion-secret-9";
    private readonly int _mqttPort = FreePort.Next();
    private CompanionProcess _companion = null!;
    private MosquittoServer? _mosquitto;

    public async Task InitializeAsync() => _companion = await CompanionProcess.StartAsync(new Dictionary<string, string>
    {
        ["Broker:Embedded"] = "false",
        ["Broker:Port"] = _mqttPort.ToString(),
        ["Broker:Password"] = CompanionPassword,
        ["Broker:ClientId"] = "kuulo-companion-attack",
    });

    public Task DisposeAsync()
    {
        _companion.Dispose();
        _mosquitto?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Starts Mosquitto with the companion's exported files and waits until the companion is connected to it.</summary>
    private async Task StartMosquittoAsync()
    {
        _mosquitto = await MosquittoServer.StartAsync(
            await _companion.Http.GetStringAsync("/api/admin/mosquitto/passwords"),
            await _companion.Http.GetStringAsync("/api/admin/mosquitto/acl"),
            _mqttPort);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await Api.MetricAsync(_companion.Http, "kuulo_broker_connected") != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the companion did not connect to Mosquitto\n" + _companion.Output + _mosquitto.Output);
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task NoDeviceGetsTheCompanionsMosquittoAccount()
    {
        var refused = await _companion.Http.PostAsJsonAsync("/api/devices", new { id = "kuulo-companion", site = "s", team = "t", desk = "d", agent = "a" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // An older database already holds such a device: the export leaves it out, so its password opens nothing.
        string password = await Api.RegisterAsync(_companion.Http, "mq-impostor");
        await Database.ExecuteAsync(_companion, "UPDATE devices SET id = 'kuulo-companion' WHERE id = 'mq-impostor'");
        string honest = await Api.RegisterAsync(_companion.Http, "mq-honest");
        var users = (await _companion.Http.GetStringAsync("/api/admin/mosquitto/passwords")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l[..l.IndexOf(':')]).ToList();
        Assert.Equal(new[] { "kuulo-companion", "mq-honest" }, users.Order());
        await StartMosquittoAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => DeviceClient.ConnectAsync(_mqttPort, "kuulo-companion", password));
        await using var device = await DeviceClient.ConnectAsync(_mqttPort, "mq-honest", honest);
        await device.PublishAsync(Topics.Call, DeviceClient.Call(1));
        Assert.Single((await Api.WaitForCallsAsync(_companion.Http, "mq-honest", 1)).EnumerateArray());
    }
}
