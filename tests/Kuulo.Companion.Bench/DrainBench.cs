using System.Diagnostics;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

/// <summary>
/// The companion coming back to a backlog (issue 14): desks publish through a real Mosquitto (persistence on, no
/// queue limit) while the companion is down; then it starts again and drains. Prints start-up and drain time, rate,
/// lost, redelivered and gaps, and the companion's peak resident memory (VmHWM), for SQLite and PostgreSQL.
/// With "kill", the companion is SIGKILLed half-way through the drain and started again.
/// Usage: kuulo-companion-bench drain [messages=200000] [devices=200] [sqlite|postgres|both] [kill]
/// </summary>
internal static class DrainBench
{
    public static async Task RunAsync(string[] args)
    {
        int messages = args.Length > 0 ? int.Parse(args[0]) : 200_000;
        int devices = args.Length > 1 ? int.Parse(args[1]) : 200;
        string databases = args.Length > 2 ? args[2] : "both";
        bool kill = args.Contains("kill");
        int perDevice = messages / devices;
        messages = perDevice * devices;
        Console.WriteLine($"backlog {messages} QoS 1 calls from {devices} desks{(kill ? ", companion SIGKILLed half-way through the drain" : "")}");
        Console.WriteLine($"{"database",-9} {"publish s",9} {"start s",7} {"drain s",7} {"msg/s",8} {"rows",8} {"lost",5} {"redeliv",7} {"gaps",5} " +
            $"{"peak RSS MB",11} {"in-flight",9} {"unacked",7} {"overshoot",9}");
        if (databases is "sqlite" or "both")
        {
            await RunAsync("sqlite", null, messages, devices, perDevice, kill);
        }

        if (databases is "postgres" or "both")
        {
            using var postgres = await PostgresServer.StartAsync();
            await RunAsync("postgres", await postgres.CreateDatabaseAsync(), messages, devices, perDevice, kill);
        }
    }

    private static async Task RunAsync(string provider, string? connectionString, int messages, int devices, int perDevice, bool kill)
    {
        int mqttPort = FreePort.Next();
        using var companion = await CompanionProcess.StartAsync(Fleet.CompanionSettings(provider, connectionString, mqttPort));
        var passwords = await Fleet.RegisterAsync(companion, devices);
        // Writing a million queued messages to disk every second would starve everything else; every 30 s is still persistence.
        using var mosquitto = await Fleet.StartBrokerAsync(companion, mqttPort, maxQueuedMessages: 0, autosaveSeconds: 30);
        await Fleet.WaitConnectedAsync(companion);
        companion.Kill();

        var publish = Stopwatch.StartNew();
        await Parallel.ForEachAsync(passwords, new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (desk, _) =>
        {
            await using var client = await DeviceClient.ConnectAsync(mqttPort, desk.Key, desk.Value);
            for (int first = 1; first <= perDevice; first += 20)
            {
                await Task.WhenAll(Enumerable.Range(first, Math.Min(20, perDevice - first + 1))
                    .Select(seq => client.PublishAsync(Topics.Call, DeviceClient.Call(seq))));
            }
        });
        publish.Stop();

        var drain = Stopwatch.StartNew();
        await companion.RestartAsync();
        var startup = drain.Elapsed;
        long peakRss = 0;
        if (kill)
        {
            await WaitForRowsAsync(companion, messages / 2);
            peakRss = companion.PeakResidentBytes();
            companion.Kill();
            await companion.RestartAsync();
        }

        await WaitForRowsAsync(companion, messages);
        drain.Stop();
        peakRss = Math.Max(peakRss, companion.PeakResidentBytes());

        long rows = await Metrics.StoredCallsAsync(companion.Http);
        long redelivered = await Metric("kuulo_messages_duplicate_total");
        int gaps = 0;
        foreach (var id in passwords.Keys)
        {
            gaps += JsonDocument.Parse(await companion.Http.GetStringAsync($"/api/devices/{id}/gaps")).RootElement.GetArrayLength();
        }

        Console.WriteLine($"{provider,-9} {publish.Elapsed.TotalSeconds,9:F1} {startup.TotalSeconds,7:F1} {drain.Elapsed.TotalSeconds,7:F1} " +
            $"{messages / drain.Elapsed.TotalSeconds,8:N0} {rows,8} {messages - rows,5} {redelivered,7} {gaps,5} {peakRss / 1e6,11:N0} " +
            $"{await Metric("kuulo_ingest_in_flight_peak_messages"),9} {await Metric("kuulo_broker_unacknowledged_peak_messages"),7} " +
            $"{await Metric("kuulo_broker_receive_maximum_overshoot_total"),9}");

        Task<long> Metric(string name) => Metrics.ReadAsync(companion.Http, name);
    }

    private static async Task WaitForRowsAsync(CompanionProcess companion, long rows)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (await Metrics.StoredCallsAsync(companion.Http) < rows)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"fewer than {rows} rows after 10 minutes\n{companion.Output}");
            }

            await Task.Delay(250);
        }
    }
}
