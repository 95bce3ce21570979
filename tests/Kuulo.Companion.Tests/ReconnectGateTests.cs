using Kuulo.Companion.Broker;
using MQTTnet.Server;

namespace Kuulo.Companion.Tests;

/// <summary>
/// A desk's new connection waits for its previous one to be cleaned up, or for a grace period when that one is still
/// open. (Without it, RetainedDeliveryTests, which reconnects one desk 120 times, now and then had the new connection
/// closed by MQTTnet's cleanup of the old one when the machine was busy.)
/// </summary>
public sealed class ReconnectGateTests
{
    [Fact]
    public void ADeskWithNoConnectionBeforeIsNotHeld()
    {
        var gate = new ReconnectGate();
        Assert.True(gate.WaitAsync("desk-1").IsCompleted);

        gate.Connected("desk-1", "127.0.0.1:5000");
        gate.Disconnected("desk-1", "127.0.0.1:5000", MqttClientDisconnectType.Clean);
        Assert.True(gate.WaitAsync("desk-1").IsCompleted);
    }

    [Fact]
    public async Task ANewConnectionWaitsUntilThePreviousOneIsCleanedUp()
    {
        var gate = new ReconnectGate();
        gate.Connected("desk-1", "127.0.0.1:5000");
        var waiting = gate.WaitAsync("desk-1");
        Assert.False(waiting.IsCompleted);

        // Another desk's connection, and a late event of an older connection of this desk, are not the one waited for.
        gate.Disconnected("desk-2", "127.0.0.1:5000", MqttClientDisconnectType.Clean);
        gate.Disconnected("desk-1", "127.0.0.1:4999", MqttClientDisconnectType.NotClean);
        Assert.False(waiting.IsCompleted);

        gate.Disconnected("desk-1", "127.0.0.1:5000", MqttClientDisconnectType.Clean);
        await waiting.WaitAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task APreviousConnectionStillOpenIsTakenOverAfterTheGrace()
    {
        var gate = new ReconnectGate();
        gate.Connected("desk-1", "127.0.0.1:5000");
        var started = DateTime.UtcNow;
        await gate.WaitAsync("desk-1").WaitAsync(ReconnectGate.Grace * 3);
        Assert.True(DateTime.UtcNow - started >= ReconnectGate.Grace - TimeSpan.FromMilliseconds(50));

        // The takeover itself is reported for the old connection and leaves the new one's record alone.
        gate.Connected("desk-1", "127.0.0.1:5001");
        gate.Disconnected("desk-1", "127.0.0.1:5000", MqttClientDisconnectType.Takeover);
        Assert.False(gate.WaitAsync("desk-1").IsCompleted);
    }
}
