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
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Dashboard and API users by name. When empty, one user per role is created with a random password.</summary>
    public Dictionary<string, UserOptions> Users { get; set; } = new();

    /// <summary>Most messages written in one transaction.</summary>
    public int IngestBatchSize { get; set; } = 2000;
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
    /// the database, so this window, not the network, bounds throughput: keep it well above a batch.
    /// </summary>
    public int ReceiveMaximum { get; set; } = 10_000;

    /// <summary>Join the "$share/kuulo-companion" group for calls and alerts, so several instances split the load.</summary>
    public bool SharedSubscription { get; set; } = true;
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
