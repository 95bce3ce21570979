using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Kuulo.Core.Turns;

namespace Kuulo.Core.Tests;

public class EngineTests
{
    private sealed class Recorder : IDeskListener
    {
        public readonly List<(int Type, int T, int Stage)> Events = new();
        public readonly List<(int Type, int Pattern, bool Buzz)> Alerts = new();
        public readonly List<CallSummary> Calls = new();
        public void OnEvent(int type, int timeMs, int stage) => Events.Add((type, timeMs, stage));
        public void OnAlert(int type, int timeMs, int stage, int pattern, bool buzz) => Alerts.Add((type, pattern, buzz));
        public void OnCallEnded(CallSummary summary) => Calls.Add(summary);
    }

    // Real recorded speech (Debian's asterisk-core-sounds-en-wav, installed by .ci/run): the voice model is trained
    // on voices, and a synthetic tone is rightly not one. 73 s of continuous instructions, 8 kHz mono.
    private const string SpeechPath = "/usr/share/asterisk/sounds/en_US_f_Allison/demo-instruct.wav";
    private static readonly Lazy<short[]> Speech = new(() => ReadPcm(SpeechPath));

    /// <summary>A channel of recorded speech (level = peak amplitude; the customer reads from further into the file), or quiet line noise.</summary>
    private static void Fill(short[] frame, int samples, int rate, int channel, int level, int startSample)
    {
        var speech = Speech.Value;
        int offset = channel == 0 ? 0 : speech.Length / 2;
        for (int i = 0; i < samples; i++)
        {
            int n = (startSample + i) * 8000 / rate;
            double noise = (Random.Shared.NextDouble() - 0.5) * 40;
            double v = level > 0 ? speech[(offset + n) % speech.Length] * (level / 8000.0) : 0;
            frame[2 * i + channel] = (short)Math.Clamp(v + noise, short.MinValue, short.MaxValue);
        }
    }

    private static short[] ReadPcm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int at = 12;
        while (System.Text.Encoding.ASCII.GetString(bytes, at, 4) != "data")
        {
            at += 8 + BitConverter.ToInt32(bytes, at + 4);
        }

        var pcm = new short[BitConverter.ToInt32(bytes, at + 4) / 2];
        Buffer.BlockCopy(bytes, at + 8, pcm, 0, pcm.Length * 2);
        return pcm;
    }

    private static Recorder Play(DeskEngine engine, params (int Ms, int Agent, int Customer)[] parts)
    {
        var rec = (Recorder)typeof(DeskEngine).GetField("_listener", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(engine)!;
        var frame = new short[engine.FrameSamples * 2];
        int sample = 0;
        foreach (var (ms, agent, customer) in parts)
        {
            for (int t = 0; t < ms; t += engine.FrameMs)
            {
                Fill(frame, engine.FrameSamples, engine.SampleRate, 0, agent, sample);
                Fill(frame, engine.FrameSamples, engine.SampleRate, 1, customer, sample);
                engine.ProcessFrame(frame, 0);
                sample += engine.FrameSamples;
            }
        }

        return rec;
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void AConversationProducesACallSummary(int rate)
    {
        var rec = new Recorder();
        var engine = new DeskEngine(new DeskConfig(), rate, rec);
        Play(engine, (3000, 0, 0), (4000, 0, 6000), (800, 0, 0), (4000, 6000, 0), (8000, 0, 0), (3000, 0, 6000));
        engine.Flush();
        var call = Assert.Single(rec.Calls);
        Assert.InRange(call.AgentTalkMs, 3000, 5000);
        Assert.InRange(call.CustomerTalkMs, 6000, 8000);
        Assert.Equal(1, call.DeadAirCount);
        Assert.Contains(rec.Alerts, a => a.Type == EventType.DeadAir);
        call.Seq = 1;
        Assert.NotNull(CallSummary.Parse(call.ToJson(), out var error));
        Assert.Null(error);
    }

    [Fact]
    public void NoInterruptionIsJudgedBeforeTheDetectorsHaveSettled()
    {
        // The agent talks over the customer twice the same way: in the unit's first seconds, and after it has heard
        // the line for a while.
        (int, int, int)[] talkOver = { (300, 0, 0), (700, 0, 6000), (2000, 6000, 6000), (1500, 0, 0) };
        var cold = Play(new DeskEngine(new DeskConfig(), 8000, new Recorder()), talkOver);
        var warm = Play(new DeskEngine(new DeskConfig(), 8000, new Recorder()), new[] { (5000, 0, 0) }.Concat(talkOver).ToArray());

        Assert.DoesNotContain(cold.Events, e => e.Type == EventType.Interruption);
        Assert.Contains(warm.Events, e => e.Type == EventType.Interruption);
        Assert.Contains(warm.Alerts, a => a.Type == EventType.Interruption);
    }

    [Fact]
    public void QuietModeCountsButNeverAlerts()
    {
        var rec = new Recorder();
        var engine = new DeskEngine(new DeskConfig(), 8000, rec);
        engine.Input(DeskInput.QuietOn);
        Play(engine, (2000, 6000, 0), (12_000, 0, 0), (1000, 6000, 0));
        Assert.Contains(rec.Events, e => e.Type == EventType.DeadAir);
        Assert.Empty(rec.Alerts);
    }

    [Fact]
    public void ProcessingAllocatesNothingPerFrame()
    {
        var engine = new DeskEngine(new DeskConfig(), 16000, new Recorder());
        var frame = new short[engine.FrameSamples * 2];
        for (int i = 0; i < frame.Length; i++)
        {
            frame[i] = (short)(i * 37 % 2000 - 1000);
        }

        for (int i = 0; i < 500; i++)
        {
            engine.ProcessFrame(frame, 0);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++)
        {
            engine.ProcessFrame(frame, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void BadSampleRateOrConfigIsRejected()
    {
        Assert.Contains("8000 or 16000", Assert.Throws<ArgumentException>(() => new DeskEngine(new DeskConfig(), 44100, new Recorder())).Message);
        var c = new DeskConfig();
        c.Set("dead_air_second_ms", 3000);
        Assert.Contains("dead_air_second_ms", Assert.Throws<ArgumentException>(() => new DeskEngine(c, 8000, new Recorder())).Message);
        var engine = new DeskEngine(new DeskConfig(), 8000, new Recorder());
        var other = new DeskConfig();
        other.Set("frame_ms", 10);
        Assert.Contains("frame_ms cannot change", engine.Apply(other));
    }
}
