using System.Buffers;
using System.Net;
using Kuulo.Companion.Ingestion;
using Kuulo.Companion.Options;
using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace Kuulo.Companion.Broker;

/// <summary>
/// The MQTT broker the companion runs when no external one is configured. Devices sign in with their own
/// credentials and may touch only their own topics. Their messages are ingested inside the broker's publish
/// hook, before it acknowledges them: a PUBACK from this broker means the message is in the database.
/// </summary>
public sealed class EmbeddedBroker : IHostedService, IDevicePublisher
{
    private readonly BrokerOptions _options;
    private readonly DeviceDirectory _devices;
    private readonly MessageValidator _validator;
    private readonly IngestPipeline _pipeline;
    private readonly IngestMetrics _metrics;
    private readonly ILogger<EmbeddedBroker> _log;
    private MqttServer? _server;

    public EmbeddedBroker(IOptions<KuuloOptions> options, DeviceDirectory devices, MessageValidator validator, IngestPipeline pipeline,
        IngestMetrics metrics, ILogger<EmbeddedBroker> log)
    {
        _options = options.Value.Broker;
        _devices = devices;
        _validator = validator;
        _pipeline = pipeline;
        _metrics = metrics;
        _log = log;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Parse(_options.Host))
            .WithDefaultEndpointPort(_options.Port)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        await _server.StartAsync();
        _log.LogInformation("Embedded MQTT broker listening on {Host}:{Port}", _options.Host, _options.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server != null)
        {
            await _server.StopAsync();
            _server.Dispose();
        }
    }

    public Task PublishAsync(string topic, string payload, bool retain, CancellationToken cancellationToken = default)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        // No sender client id: the hook below recognises this path by the server's own session items, which no
        // client connection can present, so no device id can pass for the companion.
        return _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(message), cancellationToken);
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        // A device signs in as itself: client id = user name = device id, with its own password.
        var device = Topics.IsValidDeviceId(e.UserName) && !ReservedNames.IsReserved(e.UserName, _options) ? await _devices.FindAsync(e.UserName) : null;
        if (device == null || !PasswordHash.Verify(e.Password, device.PasswordHash))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            _log.LogWarning("Refused MQTT connection from {Endpoint}: bad user name or password for '{User}'", e.RemoteEndPoint, e.UserName);
            return;
        }

        if (e.ClientId != e.UserName)
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            e.ReasonString = "the client id must be the device id";
        }
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        string own = Topics.Root + e.ClientId + "/";
        if (!e.TopicFilter.Topic.StartsWith(own, StringComparison.Ordinal))
        {
            e.ProcessSubscription = false;
            e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            _log.LogWarning("Refused subscription of {Client} to {Topic}", e.ClientId, e.TopicFilter.Topic);
        }

        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        if (ReferenceEquals(e.SessionItems, _server!.ServerSessionItems))
        {
            return;
        }

        _metrics.CountReceived();
        var item = await _validator.ValidateAsync(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ClientId);
        if (item is DeadLetterItem dead)
        {
            // Kept with its reason and acknowledged, so a device does not resend it forever; not passed on.
            _metrics.CountRejected();
            e.ProcessPublish = false;
            e.Response.ReasonCode = dead.Reason.StartsWith("client", StringComparison.Ordinal)
                ? MqttPubAckReasonCode.NotAuthorized
                : MqttPubAckReasonCode.PayloadFormatInvalid;
            e.Response.ReasonString = dead.Reason;
            _log.LogWarning("Dead letter from {Client} on {Topic}: {Reason}", e.ClientId, e.ApplicationMessage.Topic, dead.Reason);
        }

        else if (item is CallItem or AlertItem)
        {
            // Stored is delivered: no subscriber needs them, and the device should hear "success", not "no subscribers".
            e.ProcessPublish = false;
            e.Response.ReasonCode = MqttPubAckReasonCode.Success;
        }

        await _pipeline.SubmitAsync(item, e.CancellationToken);
    }
}
