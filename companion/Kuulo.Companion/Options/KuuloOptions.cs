namespace Kuulo.Companion.Options;

/// <summary>Everything the companion can be told, bound from the "Kuulo" configuration section.</summary>
public sealed class KuuloOptions
{
    /// <summary>Where the SQLite file and generated credentials live when nothing else is configured.</summary>
    public string DataDirectory { get; set; } = "kuulo-data";

    /// <summary>
    /// The IANA time zone (e.g. Europe/Helsinki) whose calendar days count for sites without a zone of their own
    /// (PUT /api/sites/{name} sets one).
    /// </summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>Set by kuulo-demo: its desks replay recorded conversations this many times faster than real time.</summary>
    public double ReplaySpeed { get; set; }

    public BrokerOptions Broker { get; set; } = new();
    public SignInOptions SignIn { get; set; } = new();
    public DatabaseOptions Database { get; set; } = new();
    public FleetOptions Fleet { get; set; } = new();

    /// <summary>Dashboard and API users by name. When empty, one user per role is created with a random password.</summary>
    public Dictionary<string, UserOptions> Users { get; set; } = new();

    /// <summary>Most messages written in one transaction.</summary>
    public int IngestBatchSize { get; set; } = 2000;

    /// <summary>How often desks publish their status; a desk silent for three intervals is shown offline.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Dead letters stored per device and minute; the rest are counted in kuulo_dead_letters_dropped_total.</summary>
    public int DeadLettersPerDeviceMinute { get; set; } = 60;

    /// <summary>A sequence gap wider than this is reported as a jump (a warning), not as messages lost.</summary>
    public long GapWarningWindow { get; set; } = 10_000;

    /// <summary>How long dead letters are kept.</summary>
    public TimeSpan DeadLetterRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Most messages queued for the database or being written; receivers wait for room beyond it. With the embedded
    /// broker every connected device holds at most one message here; see the README's memory bound.
    /// </summary>
    public int IngestMaxPendingMessages { get; set; } = 20_000;

    /// <summary>Most payload and topic bytes those messages may weigh together.</summary>
    public long IngestMaxPendingBytes { get; set; } = 32L << 20;
}

public sealed class BrokerOptions
{
    /// <summary>True: run an MQTT broker inside the companion. False: connect to <see cref="Host"/>.</summary>
    public bool Embedded { get; set; } = true;

    /// <summary>The embedded broker's listening address, or the external broker's host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;
    public bool Tls { get; set; }

    /// <summary>The companion's own MQTT account on an external broker.</summary>
    public string Username { get; set; } = "kuulo-companion";

    public string? Password { get; set; }

    /// <summary>A stable id per instance, so the broker keeps the instance's session across restarts.</summary>
    public string ClientId { get; set; } = "kuulo-companion-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>
    /// Unacknowledged messages the broker may have in flight to this instance (MQTT 5 Receive Maximum). Acks wait for
    /// the database, so this window, not the network, bounds throughput: keep it well above a batch. The companion
    /// enforces it itself (it stops reading from the broker at the limit), as some brokers overshoot it.
    /// </summary>
    public int ReceiveMaximum { get; set; } = 10_000;

    /// <summary>Join the "$share/kuulo-companion" group for calls and alerts, so several instances split the load.</summary>
    public bool SharedSubscription { get; set; } = true;

    /// <summary>
    /// Embedded broker: the largest MQTT packet accepted. Kuulo payloads are at most 4 KiB; the rest is headroom
    /// for topic and properties, and lets slightly oversized payloads reach the dead-letter table with a reason.
    /// </summary>
    public int MaxPacketBytes { get; set; } = 8192;

    /// <summary>Embedded broker: how long a new connection may take to send its CONNECT before it is closed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Embedded broker: open connections allowed from one address (raise it when many desks share a NAT address).</summary>
    public int MaxConnectionsPerAddress { get; set; } = 200;
}

/// <summary>Failed sign-ins allowed per window (dashboard, Basic auth and MQTT each counted on their own).</summary>
public sealed class SignInOptions
{
    public int FailuresPerAccount { get; set; } = 10;
    public int FailuresPerAddress { get; set; } = 30;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-in requests (right or wrong) per address and window on POST /api/auth/login.</summary>
    public int LoginsPerAddress { get; set; } = 30;
}

public sealed class DatabaseOptions
{
    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>ADO.NET connection string; for SQLite defaults to a file in the data directory.</summary>
    public string? ConnectionString { get; set; }
}

public sealed class UserOptions
{
    public string Password { get; set; } = "";

    /// <summary>supervisor, facilities or admin.</summary>
    public string Role { get; set; } = "";
}
