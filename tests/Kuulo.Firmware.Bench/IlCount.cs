using System.Reflection;
using System.Runtime.Loader;

namespace Kuulo.Firmware.Bench;

/// <summary>
/// Counts one run of <see cref="FramePath"/> over raw I2S bytes in freshly rewritten copies of the core and of
/// this assembly: per method, executed IL instructions, calls and allocations, plus frames that allocated.
/// </summary>
public sealed class IlCount
{
    private IlCount(IReadOnlyList<Row> rows, int frames, int framesThatAllocated, int alerts)
    {
        Rows = rows;
        Frames = frames;
        FramesThatAllocated = framesThatAllocated;
        Alerts = alerts;
    }

    public IReadOnlyList<Row> Rows { get; }
    public int Frames { get; }
    public int FramesThatAllocated { get; }
    public int Alerts { get; }

    public static IlCount Run(byte[] raw)
    {
        string benchPath = typeof(IlCounters).Assembly.Location;
        string corePath = Path.Combine(Path.GetDirectoryName(benchPath)!, "Kuulo.Core.dll");
        var rewriter = new IlRewriter();
        byte[] core = rewriter.Rewrite(corePath, t => t.Namespace.StartsWith("Kuulo.Core", StringComparison.Ordinal)
            || t.Name.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal), benchPath);
        byte[] bench = rewriter.Rewrite(benchPath, t => t.Namespace == "Kuulo.Firmware.Audio", benchPath);

        var context = new CountingContext(core, bench);
        var assembly = context.LoadFromAssemblyName(new AssemblyName(typeof(IlCounters).Assembly.GetName().Name!));
        var path = Activator.CreateInstance(assembly.GetType(typeof(FramePath).FullName!)!)!;
        path.GetType().GetMethod(nameof(FramePath.Run))!.Invoke(path, [raw]);
        var counters = assembly.GetType(typeof(IlCounters).FullName!)!;
        long[] Field(string name) => (long[])counters.GetField(name)!.GetValue(null)!;
        var (instructions, calls, allocations) = (Field(nameof(IlCounters.Instructions)), Field(nameof(IlCounters.Calls)), Field(nameof(IlCounters.Allocations)));
        var rows = rewriter.Methods.Select((m, i) => new Row(m.Stage, m.Method, instructions[i], calls[i], allocations[i])).ToList();
        int Property(string name) => (int)path.GetType().GetProperty(name)!.GetValue(path)!;
        var result = new IlCount(rows, Property(nameof(FramePath.Frames)), Property(nameof(FramePath.FramesThatAllocated)), Property(nameof(FramePath.Alerts)));
        context.Unload();
        return result;
    }

    public long Instructions(string? stage = null) => Rows.Where(r => stage == null || r.Stage == stage).Sum(r => r.Instructions);
    public long Calls(string? stage = null) => Rows.Where(r => stage == null || r.Stage == stage).Sum(r => r.Calls);
    public long Allocations(string? stage = null) => Rows.Where(r => stage == null || r.Stage == stage).Sum(r => r.Allocations);

    public sealed record Row(string Stage, string Method, long Instructions, long Calls, long Allocations);

    /// <summary>Loads the rewritten core and bench assemblies side by side; everything else from the default context.</summary>
    private sealed class CountingContext(byte[] core, byte[] bench) : AssemblyLoadContext(isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name) => name.Name switch
        {
            "Kuulo.Core" => LoadFromStream(new MemoryStream(core)),
            "Kuulo.Firmware.Bench" => LoadFromStream(new MemoryStream(bench)),
            _ => null,
        };
    }
}
