using Kuulo.Core.Protocol;
using Kuulo.TestSupport;
using MQTTnet;

namespace Kuulo.Companion.Tests;

/// <summary>
/// A real deployment's shape: devices talk to Mosquitto (with the password and ACL files the companion exports),
/// companions ingest through a shared subscription into PostgreSQL.
/// </summary>
public sealed class ExternalBrokerTests : IAsyncLifetime
{
    private const string CompanionPassword = "companion-secret";
    private PostgresServer _postgres = null!;
    private MosquittoServer _mosquitto = null!;
    private string _database = "";
    private readonly int _mqttPort = FreePort.Next();
    private readonly List<CompanionProcess> _companions = new();

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _database = await _postgres.CreateDatabaseAsync();
    }

    public Task DisposeAsync()
    {
        foreach (var c in _companions)
        {
            c.Dispose();
        }

        _mosquitto?.Dispose();
        _postgres.Dispose();
        return Task.CompletedTask;
    }

    private async Task<CompanionProcess> StartCompanionAsync(string clientId) 
    {
        var companion = await CompanionProcess.StartAsync(new Dictionary<string, string>
        {
            ["Broker:Embedded"] = "false",
            ["Broker:Port"] = _mqttPort.ToString(),
            ["Broker:Password"] = CompanionPassword,
            ["Broker:ClientId"] = clientId,
            ["Database:Provider"] = "postgres",
            ["Database:ConnectionString"] = _database,
        });
        _companions.Add(companion);
        return companion;
    }

    /// <summary>Registers devices, then starts Mosquitto with the companion's exported password and ACL files.</summary>
    private async Task<Dictionary<string, string>> ProvisionAsync(CompanionProcess companion, params string[] devices)
    {
        var passwords = new Dictionary<string, string>();
        foreach (var id in devices)
        {
            passwords[id] = await Api.RegisterAsync(companion.Http, id);
        }

        _mosquitto = await MosquittoServer.StartAsync(
            await companion.Http.GetStringAsync("/api/admin/mosquitto/passwords"),
            await companion.Http.GetStringAsync("/api/admin/mosquitto/acl"),
            _mqttPort);
        await WaitConnectedAsync(companion);
        return passwords;
    }

    [Fact]
    public async Task ExportedCredentialsAndAclAreEnforcedByMosquitto()
    {
        var companion = await StartCompanionAsync("kuulo-a");
        var passwords = await ProvisionAsync(companion, "ext-1", "ext-2");

        // A foreign client with the device's credentials: stored in PostgreSQL.
        ExternalProcess.Run("mosquitto_pub", new[]
        {
            "-h", "127.0.0.1", "-p", _mqttPort.ToString(), "-i", "ext-1", "-u", "ext-1", "-P", passwords["ext-1"], "-q", "1",
            "-t", Topics.For("ext-1", Topics.Call), "-m", DeviceClient.Call(1),
        });
        Assert.Single((await Api.WaitForCallsAsync(companion.Http, "ext-1", 1)).EnumerateArray());

        // Wrong password: Mosquitto refuses the connection.
        var refused = Assert.Throws<InvalidOperationException>(() => ExternalProcess.Run("mosquitto_pub", new[]
        {
            "-h", "127.0.0.1", "-p", _mqttPort.ToString(), "-i", "ext-1", "-u", "ext-1", "-P", "wrong", "-q", "1",
            "-t", Topics.For("ext-1", Topics.Call), "-m", DeviceClient.Call(2),
        }));
        Assert.Contains("not authorised", refused.Message, StringComparison.OrdinalIgnoreCase);

        // ext-1 writing into ext-2's topic: dropped by the ACL, never stored.
        await using (var device = await DeviceClient.ConnectAsync(_mqttPort, "ext-1", passwords["ext-1"]))
        {
            await device.PublishToAsync(Topics.For("ext-2", Topics.Call), DeviceClient.Call(9));
            await device.PublishAsync(Topics.Call, DeviceClient.Call(3));
        }

        await Api.WaitForCallsAsync(companion.Http, "ext-1", 2);
        Assert.Empty((await Api.GetAsync(companion.Http, "/api/calls?device=ext-2")).EnumerateArray());
    }

    [Fact]
    public async Task CompanionKilledMidBurstLosesNothingAndDoublesNothing()
    {
        var companion = await StartCompanionAsync("kuulo-restart");
        var passwords = await ProvisionAsync(companion, "burst-1");
        await Api.WaitForCallsAsync(companion.Http, "burst-1", 0);
        const int Count = 3000;
        await using var device = await DeviceClient.ConnectAsync(_mqttPort, "burst-1", passwords["burst-1"]);
        var publishing = Task.Run(async () =>
        {
            for (int seq = 1; seq <= Count; seq++)
            {
                await device.PublishAsync(Topics.Call, DeviceClient.Call(seq));
            }
        });

        // Kill the companion while the burst is in flight, then bring it back.
        await WaitUntilAsync(async () => await Api.MetricAsync(companion.Http, "kuulo_messages_stored_total") > 200, () => companion.Output);
        companion.Kill();
        await publishing;
        await companion.RestartAsync();

        var calls = await Api.WaitForCallsAsync(companion.Http, "burst-1", Count, TimeSpan.FromSeconds(60));
        var seqs = calls.EnumerateArray().Select(c => c.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Count, seqs.Count);
        Assert.Equal(Count, seqs.Distinct().Count());
        Assert.Empty((await Api.GetAsync(companion.Http, "/api/devices/burst-1/gaps")).EnumerateArray());
    }

    [Fact]
    public async Task TwoCompanionsShareTheLoadAndStoreEachCallOnce()
    {
        var a = await StartCompanionAsync("kuulo-a");
        var passwords = await ProvisionAsync(a, "share-1", "share-2");
        var b = await StartCompanionAsync("kuulo-b");
        await WaitConnectedAsync(b);
        const int PerDevice = 1000;
        await Task.WhenAll(passwords.Select(async p =>
        {
            await using var device = await DeviceClient.ConnectAsync(_mqttPort, p.Key, p.Value);
            for (int seq = 1; seq <= PerDevice; seq++)
            {
                await device.PublishAsync(Topics.Call, DeviceClient.Call(seq));
            }
        }));

        foreach (var id in passwords.Keys)
        {
            var calls = await Api.WaitForCallsAsync(a.Http, id, PerDevice);
            Assert.Equal(PerDevice, calls.EnumerateArray().Select(c => c.GetProperty("seq").GetInt64()).Distinct().Count());
            Assert.Equal(PerDevice, calls.GetArrayLength());
        }

        long storedByA = await Api.MetricAsync(a.Http, "kuulo_messages_stored_total");
        long storedByB = await Api.MetricAsync(b.Http, "kuulo_messages_stored_total");
        Assert.True(storedByA > 0 && storedByB > 0, $"one instance did all the work: a={storedByA} b={storedByB}");
        Assert.Equal(2 * PerDevice, storedByA + storedByB);
    }

    private static Task WaitConnectedAsync(CompanionProcess companion) =>
        WaitUntilAsync(async () => await Api.MetricAsync(companion.Http, "kuulo_broker_connected") == 1, () => companion.Output);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string>? diagnostics = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in 30 s\n" + diagnostics?.Invoke());
            await Task.Delay(20);
        }
    }
}
