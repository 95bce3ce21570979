using Kuulo.Core;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Kuulo.Core.Stats;
using Kuulo.Core.Turns;
using Kuulo.Desk.Audio;

namespace Kuulo.Desk.Evaluation;

/// <summary>
/// Runs a detector over a WAV exactly as the desk would: frame by frame, in order, with no look-ahead.
/// <see cref="Analyze"/> uses the real engine; <see cref="AnalyzeBaseline"/> a plain energy threshold feeding the
/// same turn logic, so an evaluation can show what the engine's detectors add.
/// </summary>
public static class ConversationAnalyzer
{
    /// <summary>The comparison detector's fixed threshold: -40 dBFS frame power, nothing adaptive.</summary>
    public const double BaselineThresholdDbfs = -40;

    public static Analysis Analyze(string wavPath, DeskConfig? config = null)
    {
        config ??= new DeskConfig();
        using var wav = WavReader.Open(wavPath);
        var analysis = new Analysis(config.FrameMs);
        var engine = new DeskEngine(config, wav.SampleRate, new Recorder(analysis));
        var frame = new short[engine.FrameSamples * 2];
        while (wav.Read(frame) == frame.Length)
        {
            engine.ProcessFrame(frame, 0);
            analysis.AgentFrames.Add(engine.AgentSpeech);
            analysis.CustomerFrames.Add(engine.CustomerSpeech);
            analysis.HoldFrames.Add(engine.OnHold);
        }

        engine.Flush();
        return analysis;
    }

    public static Analysis AnalyzeBaseline(string wavPath, DeskConfig? config = null)
    {
        config ??= new DeskConfig();
        using var wav = WavReader.Open(wavPath);
        var analysis = new Analysis(config.FrameMs);
        var tracker = new TurnTracker(config, config.FrameMs, new CallStats(), new Recorder(analysis), new InterruptionModel(),
            new EverySilence());
        int samples = wav.SampleRate / 1000 * config.FrameMs;
        var frame = new short[samples * 2];
        double threshold = 32768.0 * 32768.0 * Math.Pow(10, BaselineThresholdDbfs / 10);
        var agent = new PlainEnergyVad(threshold, config.VadOnsetMs / config.FrameMs, config.VadHangoverMs / config.FrameMs);
        var customer = new PlainEnergyVad(threshold, config.VadOnsetMs / config.FrameMs, config.VadHangoverMs / config.FrameMs);
        while (wav.Read(frame) == frame.Length)
        {
            bool a = agent.Update(Power(frame, 0, samples));
            bool c = customer.Update(Power(frame, 1, samples));
            tracker.Step(a, agent.Loud, c, customer.Loud, holdSound: false);
            analysis.AgentFrames.Add(a);
            analysis.CustomerFrames.Add(c);
        }

        tracker.Flush();
        return analysis;
    }

    /// <summary>The baseline hears no more than energy, so nothing to judge a silence by: every one the rules time is dead air.</summary>
    private sealed class EverySilence : IDeadAirModel
    {
        public float Score(float[] evidence) => 1f;
    }

    private static double Power(short[] frame, int channel, int samples)
    {
        double sum = 0;
        for (int i = channel; i < frame.Length; i += 2)
        {
            sum += (double)frame[i] * frame[i];
        }

        return sum / samples;
    }

    /// <summary>Energy above a fixed threshold, with the same onset and hangover as the engine.</summary>
    private sealed class PlainEnergyVad(double threshold, int onsetFrames, int hangoverFrames)
    {
        private int _run;
        private int _hang;

        public bool Speaking { get; private set; }
        public bool Loud { get; private set; }

        public bool Update(double power)
        {
            Loud = power > threshold;
            _run = Loud ? _run + 1 : 0;
            if (!Speaking && _run >= Math.Max(1, onsetFrames))
            {
                Speaking = true;
            }

            if (Speaking)
            {
                _hang = Loud ? hangoverFrames : _hang - 1;
                Speaking = _hang >= 0;
            }

            return Speaking;
        }
    }

    private sealed class Recorder(Analysis analysis) : IDeskListener, ITurnListener
    {
        public void OnEvent(int type, int timeMs, int stage) => analysis.Add(type, timeMs, stage);
        public void OnTurnEvent(int type, int timeMs, int stage) => analysis.Add(type, timeMs, stage);
        public void OnAlert(int type, int timeMs, int stage, int pattern, bool buzz) { }
        public void OnCallEnded(CallSummary summary) => analysis.Calls.Add(summary);
    }
}
