using Kuulo.Core.Protocol;
using Kuulo.TestSupport;
using MQTTnet;

namespace Kuulo.Companion.Tests;

/// <summary>Issue 9, items 9 and 10: what one device can do to the sequence-gap report and the dead-letter table.</summary>
public sealed class IngestionAbuseTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task ASeqBeyondWhatADeviceCanReachIsRefusedAndAJumpIsAWarning()
    {
        string password = await Api.RegisterAsync(Companion.Http, "seq-1");
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "seq-1", password);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await device.PublishAsync(Topics.Call, DeviceClient.Call(long.MaxValue)));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await device.PublishAsync(Topics.Call, DeviceClient.Call(CallSummary.MaxSeq + 1)));
        foreach (long seq in new[] { 1L, 5, 1_000_000 })
        {
            Assert.Equal(MqttClientPublishReasonCode.Success, await device.PublishAsync(Topics.Call, DeviceClient.Call(seq)));
        }

        var gaps = (await Api.GetAsync(Companion.Http, "/api/devices/seq-1/gaps")).EnumerateArray()
            .Select(g => (g.GetProperty("from").GetInt64(), g.GetProperty("to").GetInt64(), g.GetProperty("missing").GetInt64(), g.GetProperty("jump").GetBoolean()));
        Assert.Equal(new[] { (2L, 4L, 3L, false), (6L, 999_999L, 999_994L, true) }, gaps);
    }

    [Fact]
    public async Task OneDeviceCannotFillTheDeadLetterTable()
    {
        string password = await Api.RegisterAsync(Companion.Http, "junk-1");
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "junk-1", password);
        long droppedBefore = await Api.MetricAsync(Companion.Http, "kuulo_dead_letters_dropped_total");
        const int Sent = 300;
        for (int i = 0; i < Sent; i++)
        {
            Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, await device.PublishAsync(Topics.Call, "junk " + i));
        }

        int stored = (await Api.GetAsync(Companion.Http, "/api/admin/dead-letters?limit=10000")).EnumerateArray()
            .Count(d => d.GetProperty("clientId").GetString() == "junk-1");
        long dropped = await Api.MetricAsync(Companion.Http, "kuulo_dead_letters_dropped_total") - droppedBefore;
        // 60 per minute; the burst may straddle a minute boundary.
        Assert.InRange(stored, 60, 120);
        Assert.Equal(Sent, stored + dropped);

        // Other devices' dead letters are still kept.
        string other = await Api.RegisterAsync(Companion.Http, "junk-2");
        await using var second = await DeviceClient.ConnectAsync(Companion.MqttPort, "junk-2", other);
        await second.PublishAsync(Topics.Call, "junk");
        Assert.Contains((await Api.GetAsync(Companion.Http, "/api/admin/dead-letters?limit=10")).EnumerateArray(), d => d.GetProperty("clientId").GetString() == "junk-2");
    }
}
