using System.Buffers;
using System.Net;
using Kuulo.Companion.Auth;
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
public sealed class EmbeddedBroker : IHostedService, IDevicePublisher, IDeviceSessions
{
    private readonly BrokerOptions _options;
    private readonly DeviceDirectory _devices;
    private readonly MessageValidator _validator;
    private readonly IngestPipeline _pipeline;
    private readonly IngestMetrics _metrics;
    private readonly SignInThrottle _throttle;
    private readonly ILogger<EmbeddedBroker> _log;

    // Held while the companion publishes and while a retained message is handed to a new subscription, so that a
    // desk never gets an older retained message after a newer one.
    private readonly SemaphoreSlim _retainedOrder = new(1, 1);
    private readonly ReconnectGate _reconnects = new();
    private MqttServer? _server;

    public EmbeddedBroker(IOptions<KuuloOptions> options, DeviceDirectory devices, MessageValidator validator, IngestPipeline pipeline,
        IngestMetrics metrics, SignInThrottle throttle, ILogger<EmbeddedBroker> log)
    {
        _throttle = throttle;
        _options = options.Value.Broker;
        _devices = devices;
        _validator = validator;
        _pipeline = pipeline;
        _metrics = metrics;
        _log = log;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The communication timeout is also how long a new connection may take to send its CONNECT.
        var serverOptions = new MqttServerOptionsBuilder()
            .WithPersistentSessions()
            .WithDefaultCommunicationTimeout(_options.ConnectTimeout)
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(serverOptions, new[] { new GuardedTcpAdapter(_options, _log) });
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.ClientConnectedAsync += e =>
        {
            _reconnects.Connected(e.ClientId, e.RemoteEndPoint?.ToString() ?? "");
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            _reconnects.Disconnected(e.ClientId, e.RemoteEndPoint?.ToString() ?? "", e.DisconnectType);
            return Task.CompletedTask;
        };
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientSubscribedTopicAsync += SendRetainedAsync;
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

    public async Task PublishAsync(string topic, string payload, bool retain, CancellationToken cancellationToken = default)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await _retainedOrder.WaitAsync(cancellationToken);
        try
        {
            // No sender client id: the hook below recognises this path by the server's own session items, which no
            // client connection can present, so no device id can pass for the companion.
            await _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(message), cancellationToken);
        }
        finally
        {
            _retainedOrder.Release();
        }
    }

    public async Task DisconnectAsync(string deviceId, string reason)
    {
        foreach (var client in (await _server!.GetClientsAsync()).Where(c => c.Id == deviceId))
        {
            _log.LogInformation("Disconnecting {Device}: {Reason}", deviceId, reason);
            await client.DisconnectAsync(new MqttServerClientDisconnectOptionsBuilder()
                .WithReasonCode(MqttDisconnectReasonCode.NotAuthorized).WithReasonString(reason).Build());
        }
    }

    private async Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        // A device signs in as itself: client id = user name = device id, with its own password.
        string user = e.UserName ?? "";
        string address = (e.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? "";
        if (_throttle.IsBlocked("mqtt", user, address))
        {
            // Refused without checking the password: guessing on gains nothing and costs the broker no hash.
            e.ReasonCode = MqttConnectReasonCode.QuotaExceeded;
            e.ReasonString = $"too many failed sign-ins; try again in {_throttle.Window.TotalSeconds:0} s";
            _log.LogWarning("Refused MQTT connection from {Endpoint} for '{User}': too many failed sign-ins", e.RemoteEndPoint, user);
            return;
        }

        var device = Topics.IsValidDeviceId(user) && !ReservedNames.IsReserved(user, _options) ? await _devices.FindAsync(user) : null;
        bool usable = device is { Disabled: false };
        if (!PasswordHash.Verify(e.Password ?? "", usable ? device!.PasswordHash : null))
        {
            _throttle.Failed("mqtt", user, address);
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            _log.LogWarning("Refused MQTT connection from {Endpoint}: bad user name or password for '{User}'", e.RemoteEndPoint, e.UserName);
            return;
        }

        if (e.ClientId != e.UserName)
        {
            e.ReasonCode = MqttConnectReasonCode.ClientIdentifierNotValid;
            e.ReasonString = "the client id must be the device id";
            return;
        }

        await _reconnects.WaitAsync(user);
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
        else if (e.TopicFilter.RetainHandling == MqttRetainHandling.SendAtSubscribe && !HasWildcard(e.TopicFilter.Topic))
        {
            // MQTTnet takes its snapshot of retained messages before it adds a subscription, so a configuration or
            // firmware offer published in between would reach the desk neither as retained nor as new. The retained
            // message is sent by SendRetainedAsync instead, once the subscription is in place.
            e.TopicFilter.RetainHandling = MqttRetainHandling.DoNotSendOnSubscribe;
            e.SessionItems[RetainedKey(e.TopicFilter.Topic)] = true;
        }

        return Task.CompletedTask;
    }

    private async Task SendRetainedAsync(ClientSubscribedTopicEventArgs e)
    {
        string topic = e.TopicFilter.Topic;
        if (!e.SessionItems.Contains(RetainedKey(topic)))
        {
            return;
        }

        e.SessionItems.Remove(RetainedKey(topic));
        await _retainedOrder.WaitAsync();
        try
        {
            var retained = await _server!.GetRetainedMessageAsync(topic);
            if (retained is { Payload.Length: > 0 })
            {
                // Not stored again: only the subscribers of this device's own topic hear it, the new one among them.
                var again = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(retained.Payload)
                    .WithQualityOfServiceLevel(retained.QualityOfServiceLevel).Build();
                await _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(again));
            }
        }
        finally
        {
            _retainedOrder.Release();
        }
    }

    private static string RetainedKey(string topic) => "kuulo.retained:" + topic;

    private static bool HasWildcard(string topic) => topic.Contains('+') || topic.Contains('#');

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

        // Waiting here for room in the pipeline is the push-back: this device's connection reads nothing more until then.
        await _pipeline.SubmitAsync(item, IngestPipeline.Weight(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.Length), e.CancellationToken);
    }
}
