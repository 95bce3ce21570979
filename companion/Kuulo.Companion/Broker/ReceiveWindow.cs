using System.Net;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Kuulo.Companion.Ingestion;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Kuulo.Companion.Broker;

/// <summary>
/// The MQTT 5 Receive Maximum, enforced by the receiving side. MQTTnet's client announces it but queues whatever
/// arrives without limit, and Mosquitto before 2.0.13 overshoots it while it drains a queued backlog (each in-order
/// PUBACK lets up to a whole window more into flight). So the connection stops reading from the socket while
/// this many messages are unacknowledged: the broker, not the companion, then holds the backlog.
/// One window per connection; messages of an ended connection are never acknowledged on the next one.
/// </summary>
public sealed class ReceiveWindow(int maxMessages, long maxBytes)
{
    public InFlightLimit Limit { get; } = new(maxMessages, maxBytes);

    /// <summary>False once the connection is gone; its packet identifiers mean nothing on the next one.</summary>
    public bool Open { get; private set; } = true;

    internal void Close() => Open = false;

    private int _onWire;

    /// <summary>A QoS 1 PUBLISH was read off the socket; returns how many are now unanswered.</summary>
    internal int Read() => Interlocked.Increment(ref _onWire);

    /// <summary>A PUBACK was written to the socket.</summary>
    internal void Answered() => Interlocked.Decrement(ref _onWire);
}

/// <summary>Creates MQTTnet's usual client connections, each wrapped in a <see cref="ReceiveWindow"/>.</summary>
public sealed class WindowedAdapterFactory(int maxMessages, long maxBytes, IngestMetrics metrics) : IMqttClientAdapterFactory
{
    private readonly MqttClientAdapterFactory _inner = new();

    // MQTTnet keeps its PUBLISH packet internal, but hands the packet's topic string, the very instance decoded
    // for that packet, to the application message; that instance is the key from packet to window. Entries leave
    // when the receiver looks them up, or with their connection.
    private readonly ConcurrentDictionary<string, ReceiveWindow> _windows = new(ReferenceEqualityComparer.Instance);

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        var window = new ReceiveWindow(maxMessages, maxBytes);
        metrics.UseBrokerWindow(window.Limit);
        return new WindowedAdapter(_inner.CreateClientAdapter(options, packetInspector, logger), window, _windows, metrics);
    }

    /// <summary>
    /// The window a received message was admitted to; null for QoS 0, which takes no room, and for a message whose
    /// connection has ended (its room went with it, and it must not be acknowledged on another connection).
    /// </summary>
    public ReceiveWindow? WindowOf(MqttApplicationMessage message) => _windows.TryRemove(message.Topic, out var window) ? window : null;

    private sealed class WindowedAdapter(IMqttChannelAdapter inner, ReceiveWindow window, ConcurrentDictionary<string, ReceiveWindow> windows,
        IngestMetrics metrics) : IMqttChannelAdapter
    {
        public long BytesReceived => inner.BytesReceived;
        public long BytesSent => inner.BytesSent;
        public X509Certificate2 ClientCertificate => inner.ClientCertificate;
        public EndPoint RemoteEndPoint => inner.RemoteEndPoint;
        public EndPoint LocalEndPoint => inner.LocalEndPoint;
        public bool IsSecureConnection => inner.IsSecureConnection;
        public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

        public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

        public Task DisconnectAsync(CancellationToken cancellationToken)
        {
            Close();
            return inner.DisconnectAsync(cancellationToken);
        }

        public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
        {
            var packet = await inner.ReceivePacketAsync(cancellationToken);
            if (packet is MqttPublishPacket { QualityOfServiceLevel: > MqttQualityOfServiceLevel.AtMostOnce, Topic: not null } publish)
            {
                metrics.NoteUnacknowledged(window.Read());
                var entering = window.Limit.EnterAsync(IngestPipeline.Weight(publish.Topic, publish.Payload.Length), cancellationToken);
                if (!entering.IsCompleted)
                {
                    metrics.CountPushback();
                    if (window.Limit.Messages >= window.Limit.MaxMessages)
                    {
                        // A full window and still a PUBLISH: the broker sent more than the Receive Maximum we announced.
                        metrics.CountBrokerOvershoot();
                    }
                }

                // Not reading on until there is room is what makes the broker keep the rest.
                await entering;
                windows[publish.Topic] = window;
            }

            return packet;
        }

        public void ResetStatistics() => inner.ResetStatistics();

        public async Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken)
        {
            await inner.SendPacketAsync(packet, cancellationToken);
            if (packet is MqttPubAckPacket)
            {
                window.Answered();
            }
        }

        public void Dispose()
        {
            Close();
            inner.Dispose();
        }

        private void Close()
        {
            window.Close();
            foreach (var entry in windows.Where(e => e.Value == window))
            {
                windows.TryRemove(entry);
            }
        }
    }
}
