using Kuulo.Companion.Broker;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;

namespace Kuulo.Companion.Registry;

/// <summary>
/// The embedded broker keeps retained messages in memory only. At start, after the broker, what the desks must
/// find waiting is published retained again from the database: every enabled device's desired configuration and
/// the firmware offers of running rollouts not yet answered, so a desk that reconnects after a companion restart
/// still receives them.
/// </summary>
public sealed class RetainedRepublisher(SqlStore store, FirmwareRollouts rollouts, IDevicePublisher publisher, ILogger<RetainedRepublisher> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = (await store.ListDevicesAsync()).Where(d => d.DesiredConfig != null && !d.Disabled).ToList();
        foreach (var device in configured)
        {
            await publisher.PublishAsync(Topics.For(device.Id, Topics.ConfigDesired), device.DesiredConfig!, retain: true, cancellationToken);
        }

        int offers = await rollouts.RepublishOffersAsync();
        log.LogInformation("Republished the desired configuration of {Count} devices and {Offers} firmware offers", configured.Count, offers);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
