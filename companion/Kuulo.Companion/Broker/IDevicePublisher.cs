namespace Kuulo.Companion.Broker;

/// <summary>Sends to devices: retained desired configuration and commands, through whichever broker is in use.</summary>
public interface IDevicePublisher
{
    Task PublishAsync(string topic, string payload, bool retain, CancellationToken cancellationToken = default);
}
