using Dapper;
using Kuulo.Companion.Options;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Storage;

/// <summary>
/// Periodic upkeep, from the moment the companion starts: a device not heard from in three status intervals is
/// shown offline and not in a call (so a companion crash, which loses every last will, does not leave desks
/// "online" forever), and dead letters older than the retention period are deleted.
/// </summary>
public sealed class Housekeeping(SqlDialect dialect, IOptions<KuuloOptions> options, TimeProvider clock, ILogger<Housekeeping> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var period = TimeSpan.FromTicks(Math.Clamp(o.StatusInterval.Ticks, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute));
        using var timer = new PeriodicTimer(period, clock);
        do
        {
            try
            {
                long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
                await using var c = await dialect.OpenAsync();
                int stale = await c.ExecuteAsync(
                    "UPDATE devices SET online = FALSE, in_call = FALSE WHERE (online OR in_call) AND (last_seen_ms IS NULL OR last_seen_ms < @cutoff)",
                    new { cutoff = now - 3 * (long)o.StatusInterval.TotalMilliseconds });
                int expired = await c.ExecuteAsync("DELETE FROM dead_letters WHERE received_ms < @cutoff",
                    new { cutoff = now - (long)o.DeadLetterRetention.TotalMilliseconds });
                if (stale + expired > 0)
                {
                    log.LogInformation("Housekeeping: {Stale} devices silent for three status intervals shown offline, {Expired} dead letters expired", stale, expired);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                log.LogWarning("Housekeeping failed, retrying next period: {Error}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
