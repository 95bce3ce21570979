namespace Kuulo.Firmware.Tests.Host;

/// <summary>
/// The unit's flash drive I: on the host: a temporary directory, and a power supply that can fail after a given
/// number of flash operations (one per byte written, one per create, delete or move). The firmware's storage code
/// reaches it through <see cref="Kuulo.Firmware.Storage.File"/> and <see cref="Kuulo.Firmware.Storage.Directory"/>.
/// </summary>
public static class FlashDrive
{
    private const string Drive = "I:\\";
    private static long _budget = -1;

    public static string Root { get; private set; } = "";

    /// <summary>Flash operations performed since <see cref="Mount"/> (counted with or without a budget).</summary>
    public static long Operations { get; private set; }

    /// <summary>Starts on an empty drive with the power on.</summary>
    public static void Mount(string root)
    {
        Root = root;
        Operations = 0;
        _budget = -1;
    }

    /// <summary>The power fails after <paramref name="operations"/> more flash operations.</summary>
    public static void CutPowerAfter(long operations) => _budget = operations;

    public static void PowerOn() => _budget = -1;

    public static string HostPath(string devicePath)
    {
        if (!devicePath.StartsWith(Drive, StringComparison.Ordinal))
        {
            throw new IOException($"the unit has no path {devicePath}");
        }

        return Path.Combine(Root, devicePath[Drive.Length..].Replace('\\', '/'));
    }

    public static string DevicePath(string hostPath) => Drive + Path.GetRelativePath(Root, hostPath).Replace('/', '\\');

    /// <summary>Takes up to <paramref name="wanted"/> operations; fewer (then the caller stops and throws) when the power fails.</summary>
    internal static int Take(int wanted)
    {
        int granted = _budget < 0 ? wanted : (int)Math.Min(wanted, _budget);
        if (_budget >= 0)
        {
            _budget -= granted;
        }

        Operations += granted;
        return granted;
    }

    internal static void Spend()
    {
        if (Take(1) < 1)
        {
            throw new PowerCut();
        }
    }
}

/// <summary>The power failed: whatever the firmware was doing stops here.</summary>
public sealed class PowerCut : Exception
{
    public PowerCut() : base("power cut") { }
}
