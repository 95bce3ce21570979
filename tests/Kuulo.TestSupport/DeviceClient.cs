using Kuulo.Core.Protocol;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Kuulo.TestSupport;

/// <summary>A stand-in device for tests: connects with its credentials and publishes protocol messages.</summary>
public sealed class DeviceClient : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

    public string DeviceId { get; }

    /// <summary>False once the broker has closed the session (or it was never open).</summary>
    public bool IsConnected => _client.IsConnected;

    private DeviceClient(string deviceId) => DeviceId = deviceId;

    public static async Task<DeviceClient> ConnectAsync(int port, string deviceId, string password, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var device = new DeviceClient(deviceId);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(deviceId)
            .WithCredentials(deviceId, password)
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        var result = await device._client.ConnectAsync(options);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"connect refused: {result.ResultCode}");
        }

        return device;
    }

    /// <summary>Publishes at QoS 1 and returns the broker's PUBACK reason.</summary>
    public async Task<MqttClientPublishReasonCode> PublishAsync(string leaf, string payload, bool retain = false)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(Topics.For(DeviceId, leaf)).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
        return (await _client.PublishAsync(message)).ReasonCode;
    }

    public async Task<MqttClientPublishReasonCode> PublishToAsync(string topic, string payload)
    {
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        return (await _client.PublishAsync(message)).ReasonCode;
    }

    /// <summary>Subscribes and waits for the first message on the topic (retained ones arrive at once).</summary>
    public Task<string> ReceiveAsync(string leaf, TimeSpan timeout) => ReceiveAsync(leaf, _ => true, timeout);

    /// <summary>
    /// Subscribes and waits for the first message on the topic that is <paramref name="wanted"/>. The same SUBSCRIBE
    /// can carry <paramref name="refusedFilters"/> filters of another device first, each refused by the broker, which
    /// makes the broker take longer over it.
    /// </summary>
    public async Task<string> ReceiveAsync(string leaf, Func<string, bool> wanted, TimeSpan timeout, int refusedFilters = 0)
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        string topic = Topics.For(DeviceId, leaf);
        _client.ApplicationMessageReceivedAsync += e =>
        {
            string payload = e.ApplicationMessage.ConvertPayloadToString();
            if (e.ApplicationMessage.Topic == topic && wanted(payload))
            {
                received.TrySetResult(payload);
            }

            return Task.CompletedTask;
        };
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        for (int i = 0; i < refusedFilters; i++)
        {
            // The broker handles filters by falling QoS: these come before the one wanted.
            subscribe.WithTopicFilter(Topics.For("other", "x" + i), MqttQualityOfServiceLevel.ExactlyOnce);
        }

        await _client.SubscribeAsync(subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return await received.Task.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }

    /// <summary>A plausible call summary with the given sequence number (starting at a fixed instant unless told when).</summary>
    public static string Call(long seq, int callNumber = 1, int interruptions = 1, int durationMs = 60_000, long? startUnixMs = null,
        int configVersion = 0, int gapMedianMs = 600) => new CallSummary
    {
        Seq = seq, CallNumber = callNumber, StartUnixMs = startUnixMs ?? 1_795_000_000_000 + seq * 100_000, DurationMs = durationMs,
        ConfigVersion = configVersion, ResponseGapMedianMs = gapMedianMs,
        AgentTalkMs = durationMs / 3, CustomerTalkMs = durationMs / 2, OverlapMs = 500, Interruptions = interruptions,
        Backchannels = 2, DeadAirCount = 1, DeadAirMs = 6000, DeadAirMaxMs = 6000, ResponseGapCount = 3,
        TalkRatioPerMille = 400, Alerts = interruptions + 1,
    }.ToJson();
}
