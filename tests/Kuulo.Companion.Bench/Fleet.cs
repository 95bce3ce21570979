using System.Net.Http.Json;
using System.Text.Json;
using Kuulo.TestSupport;

/// <summary>Simulated desks registered with a companion: ids and the passwords it answered.</summary>
internal static class Fleet
{
    public const string CompanionPassword = "bench-secret";

    /// <summary>A companion on an external broker at <paramref name="mqttPort"/>, storing into the given database.</summary>
    public static Dictionary<string, string> CompanionSettings(string provider, string? connectionString, int mqttPort)
    {
        var settings = new Dictionary<string, string>
        {
            ["Broker:Embedded"] = "false", ["Broker:Port"] = mqttPort.ToString(), ["Broker:Password"] = CompanionPassword,
            ["Database:Provider"] = provider,
        };
        if (connectionString != null)
        {
            settings["Database:ConnectionString"] = connectionString;
        }

        return settings;
    }

    public static async Task<Dictionary<string, string>> RegisterAsync(CompanionProcess companion, int devices)
    {
        var passwords = new Dictionary<string, string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, devices), async (i, _) =>
        {
            string id = $"bench-{i:D4}";
            var response = await companion.Http.PostAsJsonAsync("/api/devices", new { id, site = "s" + i % 3, team = "t" + i % 10, desk = id, agent = "a" + i });
            var password = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("password").GetString()!;
            lock (passwords)
            {
                passwords[id] = password;
            }
        });
        return passwords;
    }

    /// <summary>Mosquitto with the companion's exported password and ACL files.</summary>
    public static async Task<MosquittoServer> StartBrokerAsync(CompanionProcess companion, int port, int maxQueuedMessages = 100_000, int autosaveSeconds = 1) =>
        await MosquittoServer.StartAsync(await companion.Http.GetStringAsync("/api/admin/mosquitto/passwords"),
            await companion.Http.GetStringAsync("/api/admin/mosquitto/acl"), port, maxQueuedMessages, autosaveSeconds);

    public static async Task WaitConnectedAsync(CompanionProcess companion)
    {
        while (await Metrics.ReadAsync(companion.Http, "kuulo_broker_connected") != 1)
        {
            await Task.Delay(50);
        }
    }
}
