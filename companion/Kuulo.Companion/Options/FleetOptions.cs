namespace Kuulo.Companion.Options;

/// <summary>Kuulo:Fleet: what the inventory calls weak or low, and the firmware rollout's trust and limits.</summary>
public sealed class FleetOptions
{
    /// <summary>Wi-Fi at or below this (dBm) is weak: ESP32 links get unreliable around -75 to -80 dBm.</summary>
    public int WeakRssiDbm { get; set; } = -75;

    /// <summary>Free managed heap below this (bytes) is low: the offline queue and TLS buffers need headroom.</summary>
    public int LowHeapBytes { get; set; } = 32 * 1024;

    /// <summary>Broker address written into new desks' settings.json; unset: the companion's own broker host and port.</summary>
    public string? DeviceBrokerHost { get; set; }
    public int? DeviceBrokerPort { get; set; }

    /// <summary>Base URL desks download firmware images from (written into settings.json), e.g. http://kuulo.example:5080.</summary>
    public string? DeviceCompanionUrl { get; set; }

    /// <summary>
    /// PEM of the ECDSA P-256 public key firmware images must be signed with. The private key stays with whoever
    /// builds releases; the companion only checks, so a compromised companion cannot push its own image. Unset: no uploads.
    /// </summary>
    public string? FirmwareSigningKey { get; set; }

    /// <summary>Largest firmware image accepted (a nanoFramework application deployment is a few hundred KiB).</summary>
    public int MaxImageBytes { get; set; } = 2 * 1024 * 1024;
}
