using Kuulo.TestSupport;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using MQTTnet.Server;

/// <summary>
/// Answers, against the real programs, whether an MQTT 5 Receive Maximum set with MQTTnet's client reaches the
/// broker and whether Mosquitto keeps to it: on a live session, and on a resumed persistent session with a backlog
/// queued while the client was away (with and without messages left unacknowledged by the previous connection).
/// Usage: kuulo-companion-bench window [receiveMaximum=100] [backlog=3000] [shared=false]
/// </summary>
internal static class ReceiveWindowProbe
{
    private const string Topic = "probe/t";

    private static string _filter = Topic;

    public static async Task RunAsync(ushort window, int backlog, bool shared)
    {
        _filter = shared ? "$share/probe/" + Topic : Topic;
        Console.WriteLine($"Receive Maximum {window}, backlog {backlog} QoS 1 messages on {_filter}; the subscriber never acknowledges");
        Console.WriteLine($"MQTTnet client -> CONNECT Receive Maximum seen by an MQTTnet server: {await ConnectPropertyAsync(window)}");

        using var mosquitto = await MosquittoServer.StartAsync(maxQueuedMessages: 0);
        await using var publisher = await Client.ConnectAsync(mosquitto.Port, "probe-publisher", window: 0, cleanStart: true, acknowledge: true);

        // Live session: the backlog is published while the subscriber is connected.
        var live = await Client.ConnectAsync(mosquitto.Port, "probe-live", window, cleanStart: true, acknowledge: false);
        await live.SubscribeAsync();
        await PublishAsync(publisher, backlog);
        Console.WriteLine($"Mosquitto, live session:                                         {await live.SettledCountAsync(),6} unacknowledged at once");
        await live.DisposeAsync();

        // Resumed session: the previous connection acknowledged everything, then the backlog was queued.
        var first = await Client.ConnectAsync(mosquitto.Port, "probe-resume", window, cleanStart: true, acknowledge: true);
        await first.SubscribeAsync();
        await first.DisposeAsync();
        await PublishAsync(publisher, backlog);
        var resumed = await Client.ConnectAsync(mosquitto.Port, "probe-resume", window, cleanStart: false, acknowledge: false);
        Console.WriteLine($"Mosquitto, resumed session, backlog queued while away:            {await resumed.SettledCountAsync(),6} unacknowledged at once");

        // Resumed again, after a connection that left a full window unacknowledged (a companion killed mid-drain).
        await resumed.DisposeAsync();
        await PublishAsync(publisher, backlog);
        var again = await Client.ConnectAsync(mosquitto.Port, "probe-resume", window, cleanStart: false, acknowledge: false);
        Console.WriteLine($"Mosquitto, resumed session after a connection left {window} unacked: {await again.SettledCountAsync(),6} unacknowledged at once");
        await again.DisposeAsync();

        // A subscriber like the companion before issue 14: the handler returns at once and acknowledgements follow
        // in order, a batch at a time, after a simulated commit. The peak of received minus acknowledged is what
        // the broker had in flight to it.
        var fresh = await Client.ConnectAsync(mosquitto.Port, "probe-batch", window, cleanStart: true, acknowledge: true);
        await fresh.SubscribeAsync();
        await fresh.DisposeAsync();
        await PublishAsync(publisher, backlog);
        var batching = await Client.ConnectAsync(mosquitto.Port, "probe-batch", window, cleanStart: false, acknowledge: false, batchAcks: true);
        await batching.SettledCountAsync();
        Console.WriteLine($"Mosquitto, resumed session, acks in order in batches of 2000:       {batching.PeakUnacknowledged,6} unacknowledged at most ({batching.Received} received)");
        await batching.DisposeAsync();
    }

    /// <summary>The Receive Maximum property as it arrives in CONNECT (0 = absent).</summary>
    private static async Task<ushort> ConnectPropertyAsync(ushort window)
    {
        int port = FreePort.Next();
        using var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder().WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(System.Net.IPAddress.Loopback).WithDefaultEndpointPort(port).Build());
        ushort seen = 0;
        server.ValidatingConnectionAsync += e =>
        {
            seen = e.ReceiveMaximum;
            return Task.CompletedTask;
        };
        await server.StartAsync();
        await using (await Client.ConnectAsync(port, "probe-connect", window, cleanStart: true, acknowledge: true))
        {
        }

        await server.StopAsync();
        return seen;
    }

    private static async Task PublishAsync(Client publisher, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await publisher.Mqtt.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topic).WithPayload($"m{i}")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }
    }

    private sealed class Client : IAsyncDisposable
    {
        private readonly System.Threading.Channels.Channel<MqttApplicationMessageReceivedEventArgs> _unacknowledged =
            System.Threading.Channels.Channel.CreateUnbounded<MqttApplicationMessageReceivedEventArgs>();
        private int _received;
        private int _acknowledged;
        private int _peak;

        public int Received => Volatile.Read(ref _received);
        public int PeakUnacknowledged => Volatile.Read(ref _peak);

        public IMqttClient Mqtt { get; } = new MqttClientFactory().CreateMqttClient();

        public static async Task<Client> ConnectAsync(int port, string clientId, ushort window, bool cleanStart, bool acknowledge,
            bool batchAcks = false)
        {
            var client = new Client();
            client.Mqtt.ApplicationMessageReceivedAsync += e =>
            {
                e.AutoAcknowledge = acknowledge;
                int unacknowledged = Interlocked.Increment(ref client._received) - Volatile.Read(ref client._acknowledged);
                if (unacknowledged > client._peak)
                {
                    client._peak = unacknowledged;
                }

                if (batchAcks)
                {
                    client._unacknowledged.Writer.TryWrite(e);
                }

                return Task.CompletedTask;
            };
            if (batchAcks)
            {
                _ = client.AcknowledgeInBatchesAsync();
            }

            var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId)
                .WithProtocolVersion(MqttProtocolVersion.V500).WithCleanStart(cleanStart).WithSessionExpiryInterval(3600);
            if (window > 0)
            {
                options.WithReceiveMaximum(window);
            }

            await client.Mqtt.ConnectAsync(options.Build());
            return client;
        }

        private async Task AcknowledgeInBatchesAsync()
        {
            var reader = _unacknowledged.Reader;
            var batch = new List<MqttApplicationMessageReceivedEventArgs>();
            while (await reader.WaitToReadAsync())
            {
                while (batch.Count < 2000 && reader.TryRead(out var e))
                {
                    batch.Add(e);
                }

                await Task.Delay(20);
                foreach (var e in batch)
                {
                    await e.AcknowledgeAsync(CancellationToken.None);
                    Interlocked.Increment(ref _acknowledged);
                }

                batch.Clear();
            }
        }

        public Task SubscribeAsync() => Mqtt.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());

        /// <summary>How many messages arrived once the broker stopped sending (no new one for a second).</summary>
        public async Task<int> SettledCountAsync()
        {
            int last = -1;
            while (Volatile.Read(ref _received) != last)
            {
                last = Volatile.Read(ref _received);
                await Task.Delay(1000);
            }

            return last;
        }

        public async ValueTask DisposeAsync()
        {
            if (Mqtt.IsConnected)
            {
                await Mqtt.DisconnectAsync();
            }

            Mqtt.Dispose();
        }
    }
}
