using System.Threading.RateLimiting;
using Kuulo.Companion.Options;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Auth;

/// <summary>
/// Failed sign-ins per account and per address, for the dashboard, Basic auth and the embedded MQTT broker
/// alike. Once either allowance for the window is spent, attempts are refused without checking the password
/// (which would cost a hash), even a right one, so guessing gains nothing. Successes cost nothing here, so busy
/// API clients with the right credentials are never slowed.
/// </summary>
public sealed class SignInThrottle
{
    private readonly PartitionedRateLimiter<string> _accounts;
    private readonly PartitionedRateLimiter<string> _addresses;

    public SignInThrottle(IOptions<KuuloOptions> options)
    {
        var o = options.Value.SignIn;
        _accounts = Limiter(o.FailuresPerAccount, o.Window);
        _addresses = Limiter(o.FailuresPerAddress, o.Window);
        Window = o.Window;
    }

    /// <summary>How long a refused client should wait before trying again, at most.</summary>
    public TimeSpan Window { get; }

    /// <param name="channel">"http" or "mqtt": dashboard users and devices are separate namespaces.</param>
    public bool IsBlocked(string channel, string account, string? address) =>
        Spent(_accounts, $"{channel}:{account}") || (address != null && Spent(_addresses, $"{channel}:{address}"));

    public void Failed(string channel, string account, string? address)
    {
        _accounts.AttemptAcquire($"{channel}:{account}").Dispose();
        if (address != null)
        {
            _addresses.AttemptAcquire($"{channel}:{address}").Dispose();
        }
    }

    private static bool Spent(PartitionedRateLimiter<string> limiter, string key) =>
        limiter.GetStatistics(key) is { CurrentAvailablePermits: <= 0 };

    private static PartitionedRateLimiter<string> Limiter(int failures, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, failures), Window = window, QueueLimit = 0 }));
}
