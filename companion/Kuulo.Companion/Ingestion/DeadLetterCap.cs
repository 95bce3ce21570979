using System.Threading.RateLimiting;
using Kuulo.Companion.Options;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Ingestion;

/// <summary>
/// At most <see cref="KuuloOptions.DeadLettersPerDeviceMinute"/> dead letters per device and minute are stored;
/// the rest are only counted, so one misbehaving (or hostile) device cannot fill the database with junk.
/// </summary>
public sealed class DeadLetterCap(IOptions<KuuloOptions> options)
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(device =>
        RateLimitPartition.GetFixedWindowLimiter(device, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, options.Value.DeadLettersPerDeviceMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    /// <summary>True when this device's dead letter may still be stored this minute.</summary>
    public bool Admit(string deviceId)
    {
        using var lease = _limiter.AttemptAcquire(deviceId);
        return lease.IsAcquired;
    }
}
