namespace Kuulo.Desk.Unit;

/// <summary>How one host desk unit connects and plays.</summary>
public sealed class UnitOptions
{
    public required string DeviceId { get; init; }
    public required string Password { get; init; }
    public string BrokerHost { get; init; } = "127.0.0.1";
    public int BrokerPort { get; init; } = 1883;
    public bool Tls { get; init; }

    /// <summary>Speak MQTT 3.1.1 instead of 5, as older brokers and M2Mqtt on the device do.</summary>
    public bool Mqtt311 { get; init; }

    /// <summary>1 = real time, N = N times faster, 0 = as fast as possible.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Where the offline queue and the applied configuration live (the device's flash).</summary>
    public required string DataDirectory { get; init; }

    public int QueueCapacity { get; init; } = 500;
    public static readonly string BuiltFirmware = "host-" + typeof(UnitOptions).Assembly.GetName().Version;

    /// <summary>The version this unit runs until an update installs another (kept in its data directory).</summary>
    public string Firmware { get; init; } = BuiltFirmware;
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The release key's public half (base64 SubjectPublicKeyInfo): firmware offers must carry its signature.</summary>
    public string? FirmwareKey { get; init; }

    /// <summary>Where firmware images are downloaded from, e.g. http://127.0.0.1:5080.</summary>
    public string? CompanionUrl { get; init; }

    /// <summary>Stands for a device whose new image never confirms its boot: it installs, falls back and reports it.</summary>
    public bool SimulateFailedBoot { get; init; }
}
