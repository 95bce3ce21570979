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

bool within = true;
foreach (var file in files)
{
    byte[] raw = I2sAudio.FromWav(file, out double seconds);
    var count = IlCount.Run(raw);
    int frames = count.Frames, allocatingFrames = count.FramesThatAllocated;

    Console.WriteLine($"{Path.GetFileName(file)}: {seconds:F1} s of audio, {frames} frames of {FramePath.FrameMs} ms at {FramePath.CoreRate} Hz "
        + $"(I2S in: 16 kHz stereo, 32-bit slots)");
    Console.WriteLine($"{"stage",-22} {"IL instr/s",12} {"calls/s",10} {"allocs/s",9} {"share",6}");
    var rows = count.Rows.Select(r => (r.Stage, r.Method, Il: r.Instructions, r.Calls, Allocs: r.Allocations)).ToList();
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

