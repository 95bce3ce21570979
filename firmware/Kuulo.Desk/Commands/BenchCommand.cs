using System.Diagnostics;
using Kuulo.Core;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;

namespace Kuulo.Desk.Commands;

/// <summary>
/// <c>kuulo-desk bench</c>: what the core costs. Synthetic two-talker audio with noise exercises every
/// detector; the figures are nanoseconds of host CPU per second of stereo audio and bytes allocated per frame.
/// </summary>
public static class BenchCommand
{
    public static int Run(string[] args)
    {
        Console.WriteLine($"{"rate",6} {"frame",6} {"ns per audio-second",20} {"realtime factor",16} {"bytes/frame",12}");
        foreach (int rate in new[] { 8000, 16000 })
        {
            foreach (int frameMs in new[] { 20, 10 })
            {
                Measure(rate, frameMs);
            }
        }

        return 0;
    }

    private static void Measure(int rate, int frameMs)
    {
        var config = new DeskConfig();
        config.Set("frame_ms", frameMs);
        var engine = new DeskEngine(config, rate, new Sink());
        const int Seconds = 120;
        var audio = Conversation(rate, Seconds);
        int step = engine.FrameSamples * 2;

        // Warm up past the JIT's tiers, so the figures are steady-state cost.
        for (int round = 0; round < 3; round++)
        {
            for (int off = 0; off + step <= audio.Length; off += step)
            {
                engine.ProcessFrame(audio, off);
            }
        }

        long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        const int Rounds = 5;
        long frames = 0;
        for (int round = 0; round < Rounds; round++)
        {
            for (int off = 0; off + step <= audio.Length; off += step)
            {
                engine.ProcessFrame(audio, off);
                frames++;
            }
        }

        watch.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
        double nsPerSecond = watch.Elapsed.TotalNanoseconds / (Rounds * Seconds);
        Console.WriteLine($"{rate,6} {frameMs,4}ms {nsPerSecond,20:N0} {1e9 / nsPerSecond,15:N0}x {(double)allocated / frames,12:F1}");
    }

    /// <summary>Alternating voiced bursts on both channels over low noise, with some overlap and echo.</summary>
    private static short[] Conversation(int rate, int seconds)
    {
        var random = new Random(7);
        var audio = new short[rate * seconds * 2];
        for (int n = 0; n < rate * seconds; n++)
        {
            double t = (double)n / rate;
            bool agentTurn = (int)(t / 3) % 2 == 0;
            bool syllable = (int)(t * 5) % 4 != 3;
            double agent = agentTurn && syllable ? 4000 * Math.Sin(2 * Math.PI * 140 * t) : 0;
            double customer = !agentTurn && syllable ? 5000 * Math.Sin(2 * Math.PI * 210 * t) : 0;
            audio[2 * n] = (short)(agent + 0.05 * customer + random.Next(-60, 60));
            audio[2 * n + 1] = (short)(customer + random.Next(-60, 60));
        }

        return audio;
    }

    private sealed class Sink : IDeskListener
    {
        public void OnEvent(int type, int timeMs, int stage) { }
        public void OnAlert(int type, int timeMs, int stage, int pattern, bool buzz) { }
        public void OnCallEnded(CallSummary summary) { }
    }
}
