namespace Kuulo.Firmware.Tests.Api;

/// <summary>Where the repository's files are, found from the test's output directory.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();
    public static readonly string Firmware = Path.Combine(Root, "firmware", "Kuulo.Firmware");
    public static readonly string Project = Path.Combine(Firmware, "Kuulo.Firmware.nfproj");
    public static readonly string ApiList = Path.Combine(Firmware, NanoApi.FileName);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Device.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Device.sln not found");
    }
}
