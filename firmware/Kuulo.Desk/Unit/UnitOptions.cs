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
    public string Firmware { get; init; } = "host-" + typeof(UnitOptions).Assembly.GetName().Version;
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(30);
}
