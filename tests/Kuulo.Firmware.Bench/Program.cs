using System.Reflection;
using System.Runtime.Loader;
using Kuulo.Desk.Audio;
using Kuulo.Firmware.Bench;

// dotnet run --project tests/Kuulo.Firmware.Bench -c Release -- [conversation.wav ...]
// Counts what the device's interpreter executes per second of audio: the firmware's I2S unpack and the core.
const long InstructionBudget = 1_000_000;
const long CallBudget = 10_000;

var files = args.Length > 0 ? args : DefaultCorpus();
if (files.Length == 0)
{
    Console.Error.WriteLine("usage: Kuulo.Firmware.Bench conversation.wav ... (16-bit stereo PCM, 8 or 16 kHz; FORMAT.md)");
    return 2;
}

string here = AppContext.BaseDirectory;
string benchPath = typeof(IlCounters).Assembly.Location;
string corePath = Path.Combine(here, "Kuulo.Core.dll");
var rewriter = new IlRewriter();
byte[] core = rewriter.Rewrite(corePath, t => t.Namespace.StartsWith("Kuulo.Core", StringComparison.Ordinal) || t.Name == "<Module>" || t.Name.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal), benchPath);
byte[] bench = rewriter.Rewrite(benchPath, t => t.Namespace == "Kuulo.Firmware.Audio", benchPath);

bool within = true;
foreach (var file in files)
{
    byte[] raw = I2sBytes(file, out double seconds);
    var context = new CountingContext(core, bench);
    var assembly = context.LoadFromAssemblyName(new AssemblyName("Kuulo.Firmware.Bench"));
    var path = Activator.CreateInstance(assembly.GetType(typeof(FramePath).FullName!)!)!;
    path.GetType().GetMethod(nameof(FramePath.Run))!.Invoke(path, [raw]);
    var counters = assembly.GetType(typeof(IlCounters).FullName!)!;
    var instructions = (long[])counters.GetField(nameof(IlCounters.Instructions))!.GetValue(null)!;
    var calls = (long[])counters.GetField(nameof(IlCounters.Calls))!.GetValue(null)!;
    var allocations = (long[])counters.GetField(nameof(IlCounters.Allocations))!.GetValue(null)!;
    int frames = (int)path.GetType().GetProperty(nameof(FramePath.Frames))!.GetValue(path)!;
    int allocatingFrames = (int)path.GetType().GetProperty(nameof(FramePath.FramesThatAllocated))!.GetValue(path)!;

    Console.WriteLine($"{Path.GetFileName(file)}: {seconds:F1} s of audio, {frames} frames of {FramePath.FrameMs} ms at {FramePath.CoreRate} Hz "
        + $"(I2S in: 16 kHz stereo, 32-bit slots)");
    Console.WriteLine($"{"stage",-22} {"IL instr/s",12} {"calls/s",10} {"allocs/s",9} {"share",6}");
    var rows = rewriter.Methods.Select((m, i) => (m.Stage, m.Method, Il: instructions[i], Calls: calls[i], Allocs: allocations[i])).ToList();
    long totalIl = rows.Sum(r => r.Il), totalCalls = rows.Sum(r => r.Calls), totalAllocs = rows.Sum(r => r.Allocs);
    foreach (var stage in rows.GroupBy(r => r.Stage).Where(g => g.Sum(r => r.Il) > 0).OrderByDescending(g => g.Sum(r => r.Il)))
    {
        Console.WriteLine($"{stage.Key,-22} {stage.Sum(r => r.Il) / seconds,12:N0} {stage.Sum(r => r.Calls) / seconds,10:N0} "
            + $"{stage.Sum(r => r.Allocs) / seconds,9:N1} {100.0 * stage.Sum(r => r.Il) / totalIl,5:F1}%");
    }

    double ilPerSecond = totalIl / seconds, callsPerSecond = totalCalls / seconds;
    Console.WriteLine($"{"total",-22} {ilPerSecond,12:N0} {callsPerSecond,10:N0} {totalAllocs / seconds,9:N1}");
    Console.WriteLine($"{"budget",-22} {InstructionBudget,12:N0} {CallBudget,10:N0} {"0/frame",9}");
    Console.WriteLine($"allocations: {totalAllocs} in all, on {allocatingFrames} of {frames} frames"
        + (totalAllocs > 0 ? " (" + string.Join(", ", rows.Where(r => r.Allocs > 0).Select(r => $"{r.Method} x{r.Allocs}")) + ")" : ""));
    Console.WriteLine("busiest methods: " + string.Join(", ", rows.OrderByDescending(r => r.Il).Take(5)
        .Select(r => $"{r.Method.Split("::")[0].Split('.')[^1]}.{r.Method.Split("::")[1]} {r.Il / seconds:N0}")));
    bool ok = ilPerSecond <= InstructionBudget && callsPerSecond <= CallBudget && allocatingFrames == 0;
    Console.WriteLine(ok ? "within budget" : "OVER BUDGET");
    Console.WriteLine();
    within &= ok;
}

return within ? 0 : 1;

static string[] DefaultCorpus()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Device.sln")))
    {
        dir = dir.Parent;
    }

    var corpus = dir == null ? null : Path.Combine(dir.FullName, "..", "shared", "corpus", "sample00.wav");
    return corpus != null && File.Exists(corpus) ? [corpus] : [];
}

// The conversation as the codec would clock it out: 16 kHz, stereo, each sample in the upper bytes of a 32-bit slot.
static byte[] I2sBytes(string file, out double seconds)
{
    using var wav = WavReader.Open(file);
    int repeat = 16000 / wav.SampleRate;
    var pcm = new short[wav.Frames * 2];
    int read = wav.Read(pcm);
    seconds = read / 2.0 / wav.SampleRate;
    var raw = new byte[(long)read / 2 * repeat * 8];
    int o = 0;
    for (int n = 0; n < read; n += 2)
    {
        for (int r = 0; r < repeat; r++)
        {
            foreach (short sample in new[] { pcm[n], pcm[n + 1] })
            {
                raw[o + 2] = (byte)sample;
                raw[o + 3] = (byte)(sample >> 8);
                o += 4;
            }
        }
    }

    return raw;
}

/// <summary>Loads the rewritten core and bench assemblies side by side; everything else from the default context.</summary>
internal sealed class CountingContext(byte[] core, byte[] bench) : AssemblyLoadContext(isCollectible: true)
{
    protected override Assembly? Load(AssemblyName name) => name.Name switch
    {
        "Kuulo.Core" => LoadFromStream(new MemoryStream(core)),
        "Kuulo.Firmware.Bench" => LoadFromStream(new MemoryStream(bench)),
        _ => null,
    };
}
