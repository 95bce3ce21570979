using Kuulo.Firmware.Audio;
using Kuulo.Firmware.Bench;

namespace Kuulo.Firmware.Tests.Bench;

/// <summary>
/// The IL-count benchmark counts what runs and changes nothing it counts; the unpack keeps the codec's samples;
/// and the device's per-frame path allocates nothing (a count, not a timing, so it is a test).
/// </summary>
public class IlCountTests
{
    private static readonly Lazy<(byte[] Raw, short[] Pcm)> Conversation = new(() => Synthetic(10));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(9)]
    public void TheUnpackHandsTheCoreTheCodecsSamples(int pairs)
    {
        // The unpack takes four pairs a pass and the rest one by one: whole passes, a tail, and both.
        short[] values = [1, -1, 32767, -32768, 256, -257, 12345, -23456];
        short[] pcm = Enumerable.Range(0, 2 * pairs).Select(i => (short)(values[i % values.Length] + i / values.Length)).ToArray();
        byte[] raw = I2sAudio.FromPcm(pcm, 8000);
        var frame = new short[pcm.Length];
        I2sUnpack.Decimate(raw, raw.Length, frame);
        Assert.Equal(pcm, frame);
    }

    [Fact]
    public void RewrittenCodeDecidesWhatTheOriginalDecides()
    {
        var original = new FramePath();
        original.Run(Conversation.Value.Raw);
        var counted = IlCount.Run(Conversation.Value.Raw);
        Assert.True(original.Alerts > 0, "the synthetic conversation raises no alert, so it proves nothing");
        Assert.Equal(original.Frames, counted.Frames);
        Assert.Equal(original.Alerts, counted.Alerts);
    }

    [Fact]
    public void CountsGrowExactlyWithTheWork()
    {
        byte[] one = new byte[FramePath.RawBytesPerFrame * 50];
        byte[] two = new byte[FramePath.RawBytesPerFrame * 100];
        long unpackOne = IlCount.Run(one).Instructions("unpack"), unpackTwo = IlCount.Run(two).Instructions("unpack");
        Assert.Equal(2 * unpackOne, unpackTwo);
        long perPair = unpackOne / 50 / FramePath.CoreSamplesPerFrame;
        Assert.InRange(perPair, 20, 80);
    }

    [Fact]
    public void NoFrameAllocatesAndTheUnpackMakesNoCalls()
    {
        var count = IlCount.Run(Conversation.Value.Raw);
        Assert.Equal(0, count.FramesThatAllocated);
        Assert.Equal(0, count.Calls("unpack"));
        Assert.True(count.Instructions("features") > 0 && count.Instructions("turns") > 0, "the stages were not counted");
    }

    /// <summary>Two voices taking turns over low noise, with an overlap every few seconds: every detector runs.</summary>
    private static (byte[], short[]) Synthetic(int seconds)
    {
        var random = new Random(3);
        var pcm = new short[8000 * seconds * 2];
        for (int n = 0; n < 8000 * seconds; n++)
        {
            double t = n / 8000.0;
            bool agent = (int)(t / 2) % 2 == 0 || t % 4 > 3.2;
            bool customer = (int)(t / 2) % 2 == 1;
            bool syllable = (int)(t * 5) % 4 != 3;
            pcm[2 * n] = (short)((agent && syllable ? 5000 * Math.Sin(2 * Math.PI * 150 * t) : 0) + random.Next(-50, 50));
            pcm[2 * n + 1] = (short)((customer && syllable ? 5000 * Math.Sin(2 * Math.PI * 220 * t) : 0) + random.Next(-50, 50));
        }

        return (I2sAudio.FromPcm(pcm, 8000), pcm);
    }
}
