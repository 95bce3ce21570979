using Kuulo.Core;
using Kuulo.Core.Audio;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Kuulo.Core.Turns;
using Kuulo.Desk.Audio;
using Kuulo.Desk.Evaluation;

namespace Kuulo.Training;

/// <summary>One judge's training examples: the evidence of each decision, and whether the labels call it a yes.</summary>
public sealed class LabelledSet
{
    public List<float[]> Evidence { get; } = new();
    public List<bool> Yes { get; } = new();
    public int YesCount => Yes.Count(y => y);
}

/// <summary>
/// What the trained judges decide when the engine runs a labelled corpus with the given voice models, labelled by
/// `kuulo-desk eval`'s own matching (<see cref="Scorer.Pair"/>) of the alert each yes would raise: every agent start
/// over the customer that the turn rules pass (an interruption if it pairs with a true one,
/// <see cref="Scorer.HitsInterruption"/>), and every silence the rules time to <c>dead_air_first_ms</c> (dead air if
/// it pairs with a true dead air, <see cref="Scorer.HitsDeadAir"/>). Every candidate is taken while collecting, so
/// none hides the next.
/// </summary>
public sealed class JudgeSets
{
    public LabelledSet Interruptions { get; } = new();
    public LabelledSet DeadAir { get; } = new();

    public static JudgeSets Collect(IEnumerable<string> directories, IFrameClassifier agent, IFrameClassifier customer)
    {
        var sets = new JudgeSets();
        foreach (var wav in FrameSet.Conversations(directories))
        {
            var labels = Labels.Load(Path.ChangeExtension(wav, ".json"));
            var recorder = Run(wav, agent, customer);
            // The engine drops interruptions in its first seconds (SpeechFeatures.SettleMs): the device never acts on
            // the judge's word there, so those starts are no examples of it.
            Label(sets.Interruptions, recorder.Interruptions.Where(c => c.TimeMs >= SpeechFeatures.SettleMs).ToList(), labels.Of("interruption"),
                Scorer.HitsInterruption);
            Label(sets.DeadAir, recorder.Silences, labels.Of("dead_air"), Scorer.HitsDeadAir);
        }

        return sets;
    }

    private static void Label(LabelledSet set, List<(int TimeMs, float[] Evidence)> candidates, IEnumerable<LabelledEvent> truths,
        Func<LabelledEvent, double, bool> hits)
    {
        var taken = Scorer.Pair(truths.OrderBy(e => e.Start).ToList(), candidates.Select(c => c.TimeMs / 1000.0).ToList(), hits);
        for (int i = 0; i < candidates.Count; i++)
        {
            set.Evidence.Add(candidates[i].Evidence);
            set.Yes.Add(taken.Contains(i));
        }
    }

    private static Recorder Run(string wavPath, IFrameClassifier agent, IFrameClassifier customer)
    {
        using var wav = WavReader.Open(wavPath);
        var recorder = new Recorder();
        var engine = new DeskEngine(new DeskConfig(), wav.SampleRate, recorder, agent, customer, recorder, recorder);
        recorder.Engine = engine;
        var frame = new short[engine.FrameSamples * 2];
        while (wav.Read(frame) == frame.Length)
        {
            engine.ProcessFrame(frame, 0);
        }

        engine.Flush();
        return recorder;
    }

    /// <summary>Says yes to every candidate of both judges, and remembers when and on what evidence.</summary>
    private sealed class Recorder : IInterruptionModel, IDeadAirModel, IDeskListener
    {
        public DeskEngine? Engine;
        public readonly List<(int TimeMs, float[] Evidence)> Interruptions = new();
        public readonly List<(int TimeMs, float[] Evidence)> Silences = new();

        float IInterruptionModel.Score(float[] evidence) => Take(Interruptions, evidence);

        float IDeadAirModel.Score(float[] evidence) => Take(Silences, evidence);

        public void OnEvent(int type, int timeMs, int stage) { }
        public void OnAlert(int type, int timeMs, int stage, int pattern, bool buzz) { }
        public void OnCallEnded(CallSummary summary) { }

        private float Take(List<(int TimeMs, float[] Evidence)> candidates, float[] evidence)
        {
            candidates.Add((Engine!.NowMs, (float[])evidence.Clone()));
            return 1f;
        }
    }
}
