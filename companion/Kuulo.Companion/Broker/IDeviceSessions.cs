namespace Kuulo.Companion.Broker;

/// <summary>Live MQTT sessions of devices, for ending one when its credentials stop being valid.</summary>
public interface IDeviceSessions
{
    /// <summary>Disconnects the device at once if it is connected; its next sign-in is checked afresh.</summary>
    Task DisconnectAsync(string deviceId, string reason);
}

/// <summary>
/// With an external broker the companion holds no device sessions: the broker keeps a connected device until it
/// disconnects. Its messages are still refused (dead-lettered) once it is disabled or deleted, and the next
/// password-file export leaves it out.
/// </summary>
public sealed class ExternalBrokerSessions(ILogger<ExternalBrokerSessions> log) : IDeviceSessions
{
    public Task DisconnectAsync(string deviceId, string reason)
    {
        log.LogWarning("Device {Device}: {Reason}; re-export the broker's password file, the companion cannot end its session there", deviceId, reason);
        return Task.CompletedTask;
    }
}
