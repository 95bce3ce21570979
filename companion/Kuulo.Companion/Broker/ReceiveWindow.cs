using System.Net;
using System.Runtime.CompilerServices;
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
}

/// <summary>Creates MQTTnet's usual client connections, each wrapped in a <see cref="ReceiveWindow"/>.</summary>
public sealed class WindowedAdapterFactory(int maxMessages, long maxBytes, IngestMetrics metrics) : IMqttClientAdapterFactory
{
    private readonly MqttClientAdapterFactory _inner = new();

    // MQTTnet keeps its PUBLISH packet internal, but hands the packet's topic string, the very instance decoded
    // for that packet, to the application message; that instance is the key from packet to window.
    private readonly ConditionalWeakTable<string, ReceiveWindow> _windows = new();
    private ReceiveWindow? _current;

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        var window = new ReceiveWindow(maxMessages, maxBytes);
        _current = window;
        metrics.UseBrokerWindow(window.Limit);
        return new WindowedAdapter(_inner.CreateClientAdapter(options, packetInspector, logger), window, this);
    }

    /// <summary>The window a received message was admitted to; null for QoS 0, which takes no room.</summary>
    public ReceiveWindow? WindowOf(MqttApplicationMessage message) =>
        message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce ? null
        : _windows.TryGetValue(message.Topic, out var window) ? window
        : _current;

    private sealed class WindowedAdapter(IMqttChannelAdapter inner, ReceiveWindow window, WindowedAdapterFactory factory) : IMqttChannelAdapter
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
            window.Close();
            return inner.DisconnectAsync(cancellationToken);
        }

        public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
        {
            var packet = await inner.ReceivePacketAsync(cancellationToken);
            if (packet is MqttPublishPacket { QualityOfServiceLevel: > MqttQualityOfServiceLevel.AtMostOnce, Topic: not null } publish)
            {
                if (window.Limit.Messages >= window.Limit.MaxMessages)
                {
                    // A full window and still a PUBLISH: the broker sent more than the Receive Maximum we announced.
                    factory.NoteOvershoot();
                }

                // Not reading on until there is room is what makes the broker keep the rest.
                await window.Limit.EnterAsync(IngestPipeline.Weight(publish.Topic, publish.Payload.Length), cancellationToken);
                factory._windows.AddOrUpdate(publish.Topic, window);
            }

            return packet;
        }

        public void ResetStatistics() => inner.ResetStatistics();

        public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

        public void Dispose()
        {
            window.Close();
            inner.Dispose();
        }
    }

    private void NoteOvershoot() => metrics.CountBrokerOvershoot();
}
