using Kuulo.Companion.Broker;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;

namespace Kuulo.Companion.Registry;

/// <summary>
/// The embedded broker keeps retained messages in memory only. At start, after the broker, every enabled
/// device's desired configuration is published retained again from the database, so a desk that reconnects
/// after a companion restart still receives it.
/// </summary>
public sealed class DesiredConfigRepublisher(SqlStore store, IDevicePublisher publisher, ILogger<DesiredConfigRepublisher> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = (await store.ListDevicesAsync()).Where(d => d.DesiredConfig != null && !d.Disabled).ToList();
        foreach (var device in configured)
        {
            await publisher.PublishAsync(Topics.For(device.Id, Topics.ConfigDesired), device.DesiredConfig!, retain: true, cancellationToken);
        }

        log.LogInformation("Republished the desired configuration of {Count} devices", configured.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
