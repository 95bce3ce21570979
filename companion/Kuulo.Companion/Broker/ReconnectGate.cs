using System.Collections.Concurrent;
using MQTTnet.Server;

namespace Kuulo.Companion.Broker;

/// <summary>
/// Holds a device's new connection until its previous one has been cleaned up. MQTTnet's broker cleans up a
/// connection that ended (drops it from its client list, deletes a session that is not kept) with no lock against a
/// new connection of the same client id: a desk that reconnects the moment it disconnected could have the new
/// connection closed ("normal disconnection") and its new session deleted by the old one's cleanup. The broker raises
/// ClientDisconnected after that cleanup, so waiting for it closes the race. A connection that is still open (a desk
/// that lost its network and is back before its keep-alive ran out) is taken over after <see cref="Grace"/>.
/// </summary>
internal sealed class ReconnectGate
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Connection> _open = new();

    /// <summary>A device's connection was accepted (from ClientConnected).</summary>
    public void Connected(string deviceId, string endpoint) => _open[deviceId] = new Connection(endpoint);

    /// <summary>A device's connection ended and was cleaned up (from ClientDisconnected).</summary>
    public void Disconnected(string deviceId, string endpoint, MqttClientDisconnectType type)
    {
        // A connection taken over is cleaned up without the event; an older connection's late event is not this one's.
        if (type != MqttClientDisconnectType.Takeover && _open.TryGetValue(deviceId, out var connection) && connection.Endpoint == endpoint
            && _open.TryRemove(new KeyValuePair<string, Connection>(deviceId, connection)))
        {
            connection.Closed.TrySetResult();
        }
    }

    /// <summary>Waits, for at most <see cref="Grace"/>, until the device's previous connection has been cleaned up.</summary>
    public Task WaitAsync(string deviceId) =>
        _open.TryGetValue(deviceId, out var connection) ? Task.WhenAny(connection.Closed.Task, Task.Delay(Grace)) : Task.CompletedTask;

    private sealed record Connection(string Endpoint)
    {
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
