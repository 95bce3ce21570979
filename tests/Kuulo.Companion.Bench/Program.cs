using System.Diagnostics;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

// Benchmarks. "dashboard": see DashboardBench (seed a database, time the dashboard's requests).
// Otherwise: publishes call summaries from many simulated devices through a real Mosquitto and measures, for the
// same traffic, how fast mosquitto_sub receives it (the raw rate) and how fast the companion stores it, into SQLite
// and into PostgreSQL. Usage: kuulo-companion-bench [devices=200] [callsPerDevice=250]
// Other modes: "drain" (DrainBench.cs), "window" (ReceiveWindowProbe.cs) and "dashboard" (DashboardBench.cs).
if (args.Length > 0 && args[0] == "drain")
{
    await DrainBench.RunAsync(args.Skip(1).ToArray());
    return;
}

if (args.Length > 0 && args[0] == "window")
{
    await ReceiveWindowProbe.RunAsync(args.Length > 1 ? ushort.Parse(args[1]) : (ushort)100, args.Length > 2 ? int.Parse(args[2]) : 3000,
        args.Length > 3 && bool.Parse(args[3]));
    return;
}

if (args.Length > 0 && args[0] == "dashboard")
{
    await DashboardBench.RunAsync(args[1..]);
    return;
}

if (args.Length > 2 || args.Any(a => !int.TryParse(a, out int n) || n < 1))
{
    Console.Error.WriteLine("""
        usage: kuulo-companion-bench [devices=200] [callsPerDevice=250]   ingestion: the broker's raw rate against the stored rate
               kuulo-companion-bench drain [messages] [devices] [sqlite|postgres|both] [kill]
               kuulo-companion-bench window [receiveMaximum] [backlog] [resume]
               kuulo-companion-bench dashboard [--db sqlite|postgres] [--calls N] ...   (options in DashboardBench.cs)
        """);
    Environment.Exit(2);
}

int devices = args.Length > 0 ? int.Parse(args[0]) : 200;
int perDevice = args.Length > 1 ? int.Parse(args[1]) : 250;
Console.WriteLine($"{devices} devices x {perDevice} calls = {devices * perDevice} QoS 1 messages per run");
Console.WriteLine($"{"database",-10} {"raw msg/s",10} {"stored msg/s",13} {"ratio",6} {"stored",8} {"lost",5} {"dup",5} {"companion MB",13}");
await RunAsync("sqlite", null);
using (var postgres = await PostgresServer.StartAsync())
{
    await RunAsync("postgres", await postgres.CreateDatabaseAsync());
}

async Task RunAsync(string provider, string? connectionString)
{
    int mqttPort = FreePort.Next();
    using var companion = await CompanionProcess.StartAsync(Fleet.CompanionSettings(provider, connectionString, mqttPort));
    var passwords = await Fleet.RegisterAsync(companion, devices);
    using var mosquitto = await Fleet.StartBrokerAsync(companion, mqttPort);
    await Fleet.WaitConnectedAsync(companion);

    int total = devices * perDevice;
    // The raw receiver: mosquitto_sub as the companion's account, counting the same messages.
    var rawWatch = new Stopwatch();
    using var sub = ExternalProcess.Start("mosquitto_sub", new[]
    {
        "-h", "127.0.0.1", "-p", mqttPort.ToString(), "-u", "kuulo-companion", "-P", Fleet.CompanionPassword, "-q", "1",
        "-t", Topics.AllDevices(Topics.Call), "-C", total.ToString(), "-F", "%t",
    });
    await Task.Delay(500);

    var clients = new List<DeviceClient>();
    foreach (var (id, password) in passwords)
    {
        clients.Add(await DeviceClient.ConnectAsync(mqttPort, id, password));
    }

    var payloads = clients.Select(c => Enumerable.Range(1, perDevice).Select(seq => DeviceClient.Call(seq)).ToArray()).ToArray();
    long storedBefore = await Metric("kuulo_messages_stored_total");
    var watch = Stopwatch.StartNew();
    rawWatch.Start();
    await Task.WhenAll(clients.Select(async (client, i) =>
    {
        foreach (var payload in payloads[i])
        {
            await client.PublishAsync(Topics.Call, payload);
        }
    }));

    var rawDone = Task.Run(() =>
    {
        while (!sub.HasExited)
        {
            Thread.Sleep(5);
        }

        rawWatch.Stop();
    });
    long stored = 0;
    var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
    while ((stored = await Metric("kuulo_messages_stored_total") - storedBefore) < total && DateTime.UtcNow < deadline)
    {
        await Task.Delay(20);
    }

    watch.Stop();
    await Task.WhenAny(rawDone, Task.Delay(TimeSpan.FromMinutes(1)));
    long rows = await Metrics.StoredCallsAsync(companion.Http);
    long duplicates = await Metric("kuulo_messages_duplicate_total");
    double memoryMb = await Metric("kuulo_process_working_set_bytes") / 1e6;
    double raw = total / rawWatch.Elapsed.TotalSeconds;
    double rate = stored / watch.Elapsed.TotalSeconds;
    Console.WriteLine($"{provider,-10} {raw,10:N0} {rate,13:N0} {rate / raw,6:P0} {rows,8} {total - rows,5} {duplicates,5} {memoryMb,13:N0}");
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }

    async Task<long> Metric(string name) => await Kuulo.TestSupport.Metrics.ReadAsync(companion.Http, name);
}
