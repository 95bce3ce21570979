using System.Globalization;
using Kuulo.Desk.Audio;
using Kuulo.Desk.Evaluation;

namespace Kuulo.Desk.Commands;

/// <summary>
/// <c>kuulo-desk eval DIR</c>: analyzes every labelled conversation in DIR with the engine and with a plain
/// energy-threshold baseline, prints per-file and per-metric scores, the share of customer speech lost to hold, the
/// false alerts by what the labels show around them, the same metrics per condition bucket with the worst bucket at
/// >= 5 dB customer SNR, and ends with the one-line summary.
/// </summary>
public static class EvalCommand
{
    private sealed record FileResult(string Name, Score Engine, Score Baseline, IReadOnlyDictionary<string, string>? Conditions, string? Error);

    public static int Run(string[] args)
    {
        var dirs = Cli.Positionals(args, "--config");
        if (dirs.Count != 1)
        {
            throw new UsageException("eval takes one corpus directory");
        }

        string dir = dirs[0];
        if (!Directory.Exists(dir))
        {
            throw new UsageException($"{dir}: no such directory");
        }

        var config = Cli.LoadConfig(Cli.Option(args, "--config"));
        var wavs = Directory.GetFiles(dir, "*.wav").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        if (wavs.Length == 0)
        {
            throw new UsageException($"{dir}: no .wav files");
        }

        double deadAirThreshold = config.DeadAirFirstMs / 1000.0;
        var results = new FileResult[wavs.Length];
        Parallel.For(0, wavs.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            string wav = wavs[i];
            string name = Path.GetFileNameWithoutExtension(wav);
            try
            {
                var labels = Labels.Load(Path.ChangeExtension(wav, ".json"));
                results[i] = new FileResult(name,
                    Scorer.Score(labels, ConversationAnalyzer.Analyze(wav, config), deadAirThreshold),
                    Scorer.Score(labels, ConversationAnalyzer.AnalyzeBaseline(wav, config), deadAirThreshold), labels.Conditions, null);
            }
            catch (Exception ex) when (ex is WavFormatException or FormatException or IOException)
            {
                results[i] = new FileResult(name, new Score(), new Score(), null, ex is FileNotFoundException ? $"{wav}: no label file {name}.json" : ex.Message);
            }
        });

        var total = new Score();
        var baseline = new Score();
        var breakdown = new Breakdown();
        var atTargetSnr = new Breakdown();
        int atTargetSnrCount = 0;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"{"conversation",-24} {"min",5} {"interr tp/fp/fn",15} {"dead tp/fp/fn",13} {"bc alerted",10} {"vad agent",9} {"vad cust",8}");
        foreach (var r in results)
        {
            if (r.Error != null)
            {
                Console.Error.WriteLine("kuulo-desk: skipped " + r.Error);
                continue;
            }

            total.Add(r.Engine);
            baseline.Add(r.Baseline);
            breakdown.Add(r.Conditions, r.Engine);
            if (Breakdown.AtTargetSnr(r.Conditions))
            {
                atTargetSnr.Add(r.Conditions, r.Engine);
                atTargetSnrCount++;
            }
            var s = r.Engine;
            Console.WriteLine(string.Create(inv,
                $"{r.Name,-24} {s.Hours * 60,5:F1} {Tally(s.Events["interruption"]),15} {Tally(s.Events["dead_air"]),13} {s.BackchannelsAlerted + "/" + s.Backchannels,10} {s.AgentFrames.F1,9:F3} {s.CustomerFrames.F1,8:F3}"));
        }

        Console.WriteLine();
        Console.WriteLine($"{"event",-18} {"precision",9} {"recall",7} {"f1",6} {"tp",5} {"fp",5} {"fn",5}");
        foreach (var type in Score.EventTypes)
        {
            var c = total.Events[type];
            Console.WriteLine(string.Create(inv, $"{type,-18} {c.Precision,9:F3} {c.Recall,7:F3} {c.F1,6:F3} {c.TruePositives,5} {c.FalsePositives,5} {c.FalseNegatives,5}"));
        }

        foreach (var (name, c) in new[] { ("vad agent", total.AgentFrames), ("vad customer", total.CustomerFrames) })
        {
            Console.WriteLine(string.Create(inv, $"{name,-18} {c.Precision,9:F3} {c.Recall,7:F3} {c.F1,6:F3}"));
        }

        Console.WriteLine(string.Create(inv,
            $"hold suppression: {total.HoldSuppressedFrames}/{total.CustomerSpeechFrames} true customer speech frames outside holds spent on hold ({total.HoldSuppressedShare * 100:F2} %)"));
        Console.WriteLine("false alerts by what the labels show: " +
            string.Join("; ", FalseAlertCause.All.Where(c => total.FalseAlertCauses[c] > 0).Select(c => $"{c} {total.FalseAlertCauses[c]}")));
        Console.WriteLine();
        breakdown.Write(Console.Out);
        Console.WriteLine(string.Create(inv, $"worst bucket at >= {Breakdown.TargetSnrDb:F0} dB customer SNR ({atTargetSnrCount} conversations): ") +
            string.Join(" ", atTargetSnr.Worst().Select(w => string.Create(inv, $"{w.Metric}={w.Value:0.###} ({w.Bucket})"))));
        Console.WriteLine();
        Console.WriteLine(string.Create(inv,
            $"interruption latency: median {Score.Percentile(total.InterruptionLatencies, 0.5):F2} s, p90 {Score.Percentile(total.InterruptionLatencies, 0.9):F2} s; " +
            $"dead-air latency (after start + {deadAirThreshold:F0} s): median {Score.Percentile(total.DeadAirLatencies, 0.5):F2} s, p90 {Score.Percentile(total.DeadAirLatencies, 0.9):F2} s"));
        Console.WriteLine(string.Create(inv,
            $"audio {total.Hours * 60:F1} min, false alerts {total.FalseAlerts} ({total.FalseAlertsPerHour:F1}/h), backchannels alerted {total.BackchannelsAlerted}/{total.Backchannels}"));
        Console.WriteLine($"baseline (plain energy VAD at {ConversationAnalyzer.BaselineThresholdDbfs} dBFS, same turn logic): {baseline.SummaryLine()}");
        Console.WriteLine(total.SummaryLine());
        return results.Any(r => r.Error != null) ? Cli.BadInput : 0;
    }

    private static string Tally(Counts c) => $"{c.TruePositives}/{c.FalsePositives}/{c.FalseNegatives}";
}
