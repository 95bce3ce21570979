using Kuulo.Core;
using Kuulo.Core.Audio;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Kuulo.Core.Turns;
using Kuulo.Desk.Audio;
using Kuulo.Desk.Evaluation;

namespace Kuulo.Training;

/// <summary>
/// Every agent start over the customer that the turn rules pass in a labelled corpus, run through the engine with
/// the given voice models, with its <see cref="InterruptionEvidence"/> and whether it was a labelled interruption:
/// the alert falls within <see cref="Scorer.InterruptionWindowSeconds"/> of a true onset not already matched, as
/// `kuulo-desk eval` scores it. Every candidate is raised while collecting, so none hides the next.
/// </summary>
public sealed class InterruptionSet
{
    public List<float[]> Evidence { get; } = new();
    public List<bool> Interruption { get; } = new();

    public static InterruptionSet Collect(IEnumerable<string> directories, IFrameClassifier agent, IFrameClassifier customer)
    {
        var set = new InterruptionSet();
        foreach (var wav in directories.SelectMany(d => Directory.GetFiles(d, "*.wav")).OrderBy(f => f, StringComparer.Ordinal))
        {
            var labels = Labels.Load(Path.ChangeExtension(wav, ".json"));
            var onsets = labels.Of("interruption").Select(e => e.Start).ToList();
            var matched = new bool[onsets.Count];
            foreach (var (timeMs, evidence) in Candidates(wav, agent, customer))
            {
                double t = timeMs / 1000.0;
                int truth = onsets.FindIndex(s => s <= t && t <= s + Scorer.InterruptionWindowSeconds);
                while (truth >= 0 && matched[truth])
                {
                    truth = onsets.FindIndex(truth + 1, s => s <= t && t <= s + Scorer.InterruptionWindowSeconds);
                }

                if (truth >= 0)
                {
                    matched[truth] = true;
                }

                set.Evidence.Add(evidence);
                set.Interruption.Add(truth >= 0);
            }
        }

        return set;
    }

    private static List<(int TimeMs, float[] Evidence)> Candidates(string wavPath, IFrameClassifier agent, IFrameClassifier customer)
    {
        using var wav = WavReader.Open(wavPath);
        var recorder = new Recorder();
        var engine = new DeskEngine(new DeskConfig(), wav.SampleRate, recorder, agent, customer, recorder);
        recorder.Engine = engine;
        var frame = new short[engine.FrameSamples * 2];
        while (wav.Read(frame) == frame.Length)
        {
            engine.ProcessFrame(frame, 0);
        }

        engine.Flush();
        return recorder.Candidates;
    }

    /// <summary>Takes every candidate as an interruption, and remembers when and on what evidence.</summary>
    private sealed class Recorder : IInterruptionModel, IDeskListener
    {
        public DeskEngine? Engine;
        public readonly List<(int, float[])> Candidates = new();

        public float Score(float[] evidence)
        {
            Candidates.Add((Engine!.NowMs, (float[])evidence.Clone()));
            return 1f;
        }

        public void OnEvent(int type, int timeMs, int stage) { }
        public void OnAlert(int type, int timeMs, int stage, int pattern, bool buzz) { }
        public void OnCallEnded(CallSummary summary) { }
    }
}
