using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>
/// Issue 14: the companion's in-flight work stays within its configured bounds whatever arrives, a backlog from a
/// real Mosquitto or many desks at once on the embedded broker, and nothing is lost or doubled on the way,
/// not even through a SIGKILL mid-drain. Small bounds and a few thousand messages; the figures are the drain benchmark's.
/// </summary>
public sealed class BackpressureTests
{
    private const int ReceiveMaximum = 20;
    private const int PendingMessages = 20;

    [Fact]
    public async Task BacklogDrainStaysInsideTheWindowAndSurvivesSigkill()
    {
        int mqttPort = FreePort.Next();
        using var companion = await CompanionProcess.StartAsync(new Dictionary<string, string>
        {
            ["Broker:Embedded"] = "false", ["Broker:Port"] = mqttPort.ToString(), ["Broker:Password"] = "companion-secret",
            ["Broker:ReceiveMaximum"] = ReceiveMaximum.ToString(), ["IngestBatchSize"] = "10", ["IngestMaxPendingMessages"] = PendingMessages.ToString(),
        });
        var desks = new Dictionary<string, string>();
        for (int i = 0; i < 8; i++)
        {
            desks["drain-" + i] = await Api.RegisterAsync(companion.Http, "drain-" + i);
        }

        using var mosquitto = await MosquittoServer.StartAsync(await companion.Http.GetStringAsync("/api/admin/mosquitto/passwords"),
            await companion.Http.GetStringAsync("/api/admin/mosquitto/acl"), mqttPort, maxQueuedMessages: 0);
        await WaitUntilAsync(async () => await Api.MetricAsync(companion.Http, "kuulo_broker_connected") == 1, companion);

        // The backlog builds up in Mosquitto while the companion is down.
        companion.Kill();
        const int PerDesk = 1000;
        int total = desks.Count * PerDesk;
        await Task.WhenAll(desks.Select(async desk =>
        {
            await using var device = await DeviceClient.ConnectAsync(mqttPort, desk.Key, desk.Value);
            for (int seq = 1; seq <= PerDesk; seq++)
            {
                await device.PublishAsync(Topics.Call, DeviceClient.Call(seq));
            }
        }));

        await companion.RestartAsync();
        await WaitUntilAsync(async () => await Api.MetricAsync(companion.Http, "kuulo_messages_stored_total") >= total / 4, companion);
        await AssertWithinBoundsAsync(companion);
        long storedAtKill = await Kuulo.TestSupport.Metrics.StoredCallsAsync(companion.Http);
        companion.Kill();
        Assert.True(storedAtKill < total, "the drain finished before the kill; the test needs a slower drain");

        await companion.RestartAsync();
        await WaitUntilAsync(async () => await Kuulo.TestSupport.Metrics.StoredCallsAsync(companion.Http) >= total, companion, TimeSpan.FromSeconds(90));
        await AssertWithinBoundsAsync(companion);
        Assert.Equal(total, await Kuulo.TestSupport.Metrics.StoredCallsAsync(companion.Http));
        foreach (var id in desks.Keys)
        {
            Assert.Empty((await Api.GetAsync(companion.Http, $"/api/devices/{id}/gaps")).EnumerateArray());
        }
    }

    [Fact]
    public async Task ManyDesksAtOnceOnTheEmbeddedBrokerWaitForRoomAndLoseNothing()
    {
        using var companion = await CompanionProcess.StartAsync(new Dictionary<string, string>
        {
            ["IngestBatchSize"] = "5", ["IngestMaxPendingMessages"] = "10",
        });
        var desks = new Dictionary<string, string>();
        for (int i = 0; i < 40; i++)
        {
            desks["crowd-" + i] = await Api.RegisterAsync(companion.Http, "crowd-" + i);
        }

        // Every desk reconnects at the same moment and empties its offline queue.
        var devices = await Task.WhenAll(desks.Select(d => DeviceClient.ConnectAsync(companion.MqttPort, d.Key, d.Value)));
        const int PerDesk = 50;
        await Task.WhenAll(devices.Select(async device =>
        {
            for (int seq = 1; seq <= PerDesk; seq++)
            {
                Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, await device.PublishAsync(Topics.Call, DeviceClient.Call(seq)));
            }
        }));

        // Every PUBACK came after the commit, so all are stored now.
        Assert.Equal(desks.Count * PerDesk, await Kuulo.TestSupport.Metrics.StoredCallsAsync(companion.Http));
        Assert.InRange(await Api.MetricAsync(companion.Http, "kuulo_ingest_in_flight_peak_messages"), 1, 10);
        Assert.True(await Api.MetricAsync(companion.Http, "kuulo_ingest_pushbacks_total") > 0, "40 desks at once never had to wait for 10 places");
        Assert.Equal(0, await Api.MetricAsync(companion.Http, "kuulo_ingest_in_flight_messages"));
        foreach (var device in devices)
        {
            await device.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("IngestMaxPendingMessages", "10", "Kuulo:IngestMaxPendingMessages must be")]
    [InlineData("IngestMaxPendingBytes", "1000", "Kuulo:IngestMaxPendingBytes must be")]
    [InlineData("Broker:ReceiveMaximum", "70000", "Kuulo:Broker:ReceiveMaximum must be 1 to 65535")]
    public async Task LimitsThatWouldStallOrUnboundIngestionStopTheStart(string key, string value, string message)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            CompanionProcess.StartAsync(new Dictionary<string, string> { [key] = value }));
        Assert.Contains(message, failure.Message);
    }

    /// <summary>
    /// Counted on the wire (PUBLISHes read minus PUBACKs written): the window, plus the PUBLISH read while waiting for
    /// room, plus the one whose room was just given back and whose PUBACK is being written. And in the pipeline.
    /// </summary>
    private static async Task AssertWithinBoundsAsync(CompanionProcess companion)
    {
        Assert.InRange(await Api.MetricAsync(companion.Http, "kuulo_broker_unacknowledged_peak_messages"), 1, ReceiveMaximum + 2);
        Assert.InRange(await Api.MetricAsync(companion.Http, "kuulo_ingest_in_flight_peak_messages"), 1, PendingMessages);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CompanionProcess companion, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time\n" + companion.Output);
            await Task.Delay(20);
        }
    }
}
