using System.Buffers;
using System.Threading.Channels;
using Kuulo.Companion.Ingestion;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Kuulo.Companion.Broker;

/// <summary>
/// Ingests from an external broker (Mosquitto, EMQX, RabbitMQ...). Calls and alerts come through an MQTT 5
/// shared subscription, so companion instances split them; the session is persistent and each message is
/// acknowledged only after it is stored, in arrival order, so a restart mid-burst loses nothing.
/// Statuses and config reports are retained and small, so every instance takes them all.
/// Memory stays bounded whatever the broker sends: the connection stops reading at the Receive Maximum
/// (<see cref="ReceiveWindow"/>), the receiver waits for room in the pipeline, and the acknowledgement queue is bounded.
/// </summary>
public sealed class ExternalBrokerIngestor : BackgroundService, IDevicePublisher
{
    private readonly BrokerOptions _options;
    private readonly MessageValidator _validator;
    private readonly IngestPipeline _pipeline;
    private readonly IngestMetrics _metrics;
    private readonly ILogger<ExternalBrokerIngestor> _log;
    private readonly WindowedAdapterFactory _windows;
    private readonly IMqttClient _client;
    private readonly Channel<Unacknowledged> _acks;
    private CancellationToken _stopping;

    /// <summary>A received message on its way to its PUBACK: stored first, then acknowledged on its own connection.</summary>
    private readonly record struct Unacknowledged(Task Stored, MqttApplicationMessageReceivedEventArgs Message, ReceiveWindow? Window, long Bytes);

    public ExternalBrokerIngestor(IOptions<KuuloOptions> options, MessageValidator validator, IngestPipeline pipeline, IngestMetrics metrics,
        ILogger<ExternalBrokerIngestor> log)
    {
        _options = options.Value.Broker;
        _validator = validator;
        _pipeline = pipeline;
        _metrics = metrics;
        _log = log;
        _windows = new WindowedAdapterFactory(_options.ReceiveMaximum, options.Value.IngestMaxPendingBytes, metrics);
        _client = new MqttClientFactory().CreateMqttClient(_windows);
        // Everything waiting for a PUBACK is in this connection's window or in the pipeline, so this bound is never
        // the one that bites; it is here so that no queue on the receive path is unbounded.
        _acks = Channel.CreateBounded<Unacknowledged>(new BoundedChannelOptions(_options.ReceiveMaximum + pipeline.Room.MaxMessages)
        {
            SingleReader = true, SingleWriter = true,
        });
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        metrics.BrokerConnected = false;
    }

    public bool IsConnected => _client.IsConnected;

    public async Task PublishAsync(string topic, string payload, bool retain, CancellationToken cancellationToken = default)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await _client.PublishAsync(message, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        var acker = AcknowledgeInOrderAsync(stoppingToken);
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!_client.IsConnected)
            {
                try
                {
                    await ConnectAsync(stoppingToken);
                    backoff = TimeSpan.FromMilliseconds(250);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    _log.LogWarning("Cannot reach the MQTT broker at {Host}:{Port}: {Error}; retrying in {Delay}", _options.Host, _options.Port, ex.Message, backoff);
                    await Task.Delay(backoff, stoppingToken);
                    backoff = TimeSpan.FromMilliseconds(Math.Min(5_000, backoff.TotalMilliseconds * 2));
                    continue;
                }
            }

            _metrics.BrokerConnected = _client.IsConnected;
            await Task.Delay(200, stoppingToken);
        }

        await acker;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), CancellationToken.None);
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithCredentials(_options.Username, _options.Password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(7 * 24 * 3600)
            .WithReceiveMaximum((ushort)_options.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30));
        if (_options.Tls)
        {
            builder.WithTlsOptions(o => o.UseTls());
        }

        var result = await _client.ConnectAsync(builder.Build(), cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var leaf in new[] { Topics.Call, Topics.Alert })
        {
            string filter = _options.SharedSubscription ? Topics.Shared(leaf) : Topics.AllDevices(leaf);
            subscribe.WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        }

        foreach (var leaf in new[] { Topics.Status, Topics.ConfigReported, Topics.Calibration, Topics.OtaReport })
        {
            subscribe.WithTopicFilter(f => f.WithTopic(Topics.AllDevices(leaf)).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));
        }

        var subscribed = await _client.SubscribeAsync(subscribe.Build(), cancellationToken);
        foreach (var item in subscribed.Items)
        {
            if ((int)item.ResultCode > 2)
            {
                throw new InvalidOperationException($"broker refused the subscription to {item.TopicFilter.Topic}: {item.ResultCode}");
            }
        }

        _metrics.BrokerConnected = true;
        _log.LogInformation("Ingesting from MQTT broker {Host}:{Port} as {ClientId}", _options.Host, _options.Port, _options.ClientId);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        // Queue for the database once there is room, and return: the ack waits for the commit below, in order.
        e.AutoAcknowledge = false;
        _metrics.CountReceived();
        var item = await _validator.ValidateAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), clientId: null);
        if (item is DeadLetterItem dead)
        {
            _metrics.CountRejected();
            _log.LogWarning("Dead letter on {Topic}: {Reason}", e.ApplicationMessage.Topic, dead.Reason);
        }

        long bytes = IngestPipeline.Weight(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.Length);
        var stored = await _pipeline.EnqueueAsync(item, bytes, _stopping);
        await _acks.Writer.WriteAsync(new Unacknowledged(stored, e, _windows.WindowOf(e.ApplicationMessage), bytes), _stopping);
    }

    private async Task AcknowledgeInOrderAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (stored, message, window, bytes) in _acks.Reader.ReadAllAsync(stoppingToken))
            {
                await stored.WaitAsync(stoppingToken);
                if (window == null)
                {
                    continue;
                }

                // Room first: once the PUBACK is on its way the broker may send the next message at once.
                window.Limit.Release(bytes);
                if (!window.Open || !_client.IsConnected)
                {
                    // Its connection is gone: the broker redelivers it on the next one, where it is acknowledged again.
                    continue;
                }

                try
                {
                    await message.AcknowledgeAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The connection dropped under the PUBACK; the message is stored and will come back as a duplicate.
                    _log.LogDebug("PUBACK not sent: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
