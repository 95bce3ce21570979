using Kuulo.Core.Audio;

namespace Kuulo.Core.Tests;

public class BandAnalyserTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(3.0)]
    [InlineData(1234.5)]
    [InlineData(1e6)]
    [InlineData(1.07e9)]
    public void PowerToDbIsTenLog10OfOnePlusThePowerToAHundredthOfADecibel(double power)
    {
        Assert.Equal(10 * Math.Log10(1 + power), Decibels.PowerToDb((float)power), 0.01);
    }

    [Theory]
    [InlineData(150, 0)]
    [InlineData(375, 1)]
    [InlineData(700, 2)]
    [InlineData(1400, 3)]
    [InlineData(2900, 4)]
    public void AToneLandsInItsOctaveAtBothRates(double hz, int band)
    {
        foreach (int rate in new[] { 8000, 16000 })
        {
            var analyser = new BandAnalyser(rate, rate / 50);
            var frame = Tone(hz, rate, 10000);
            analyser.Analyse(frame, 0, 1, rate / 50);
            var levels = analyser.BandDb;
            int loudest = Array.IndexOf(levels, levels.Max());
            Assert.True(loudest == band, $"{hz} Hz at {rate} Hz: loudest band {loudest}, levels {string.Join(", ", levels.Select(l => l.ToString("F1")))}");
        }
    }

    [Fact]
    public void TheBandsAddUpToTheFramesPower()
    {
        var random = new Random(7);
        var frame = new short[320];
        for (int i = 0; i < frame.Length; i++)
        {
            frame[i] = (short)random.Next(-8000, 8000);
        }

        var analyser = new BandAnalyser(8000, 160);
        analyser.Analyse(frame, 0, 0, 160);
        double power = 0;
        for (int i = 0; i < frame.Length; i += 2)
        {
            power += (double)frame[i] * frame[i];
        }

        double sum = analyser.BandDb.Sum(db => Math.Pow(10, db / 10) - 1);
        Assert.Equal(10 * Math.Log10(1 + power / 160), 10 * Math.Log10(1 + sum), 0.05);
        Assert.Equal(10 * Math.Log10(1 + power / 160), analyser.TotalDb, 0.05);
    }

    [Fact]
    public void TheVoiceBandLeavesOutADcOffset()
    {
        // A codec's digital silence: a small constant. All of it is below 250 Hz.
        var analyser = new BandAnalyser(8000, 160);
        analyser.Analyse(Enumerable.Repeat((short)16, 320).ToArray(), 0, 0, 160);
        Assert.Equal(10 * Math.Log10(1 + 16 * 16), analyser.TotalDb, 0.05);
        Assert.Equal(0, analyser.VoiceBandDb, 0.001);

        // A 1 kHz tone carries its whole power in the voice band, the offset or not.
        var tone = Tone(1000, 8000, 3000);
        double toneDb = 10 * Math.Log10(1 + 3000.0 * 3000 / 2);
        analyser.Analyse(tone, 0, 1, 160);
        Assert.Equal(toneDb, analyser.VoiceBandDb, 0.2);
    }

    [Fact]
    public void FullScaleSquaresDoNotOverflow()
    {
        // Alternating full-scale samples: the largest first-level difference (65,535) squared still fits.
        var frame = new short[320];
        for (int i = 0; i < frame.Length; i++)
        {
            frame[i] = (i / 2) % 2 == 0 ? short.MaxValue : short.MinValue;
        }

        var analyser = new BandAnalyser(8000, 160);
        analyser.Analyse(frame, 0, 0, 160);
        Assert.Equal(10 * Math.Log10(1 + 32767.5 * 32767.5), analyser.TotalDb, 0.05);
        Assert.Equal(4, Array.IndexOf(analyser.BandDb, analyser.BandDb.Max()));
    }

    private static short[] Tone(double hz, int rate, double amplitude)
    {
        int samples = rate / 50;
        var frame = new short[2 * samples];
        for (int i = 0; i < samples; i++)
        {
            frame[2 * i + 1] = (short)(amplitude * Math.Sin(2 * Math.PI * hz * i / rate));
        }

        return frame;
    }
}
