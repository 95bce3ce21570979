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
        // Measured about the frame's mean: the first frame is where the channel's offset starts from.
        double mean = 0, power = 0;
        for (int i = 0; i < frame.Length; i += 2)
        {
            mean += frame[i] / 160.0;
        }

        for (int i = 0; i < frame.Length; i += 2)
        {
            power += (frame[i] - mean) * (frame[i] - mean);
        }

        double sum = analyser.BandDb.Sum(db => Math.Pow(10, db / 10) - 1);
        Assert.Equal(10 * Math.Log10(1 + power / 160), 10 * Math.Log10(1 + sum), 0.05);
        Assert.Equal(10 * Math.Log10(1 + power / 160), analyser.TotalDb, 0.05);
    }

    [Fact]
    public void ADcOffsetChangesNoBandAtAll()
    {
        // An ADC's bias or a recording's offset moves every sample by a constant: it is no sound.
        var plain = new BandAnalyser(8000, 160);
        var shifted = new BandAnalyser(8000, 160);
        var random = new Random(3);
        for (int frame = 0; frame < 200; frame++)
        {
            // Quiet noise with a word's worth of loud, low-pitched sound now and then.
            var samples = new short[320];
            int loud = frame % 40 < 10 ? 6000 : 0;
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)(random.Next(-40, 40) + loud * Math.Sin(2 * Math.PI * 120 * (frame * 160 + i / 2) / 8000));
            }

            plain.Analyse(samples, 0, 0, 160);
            shifted.Analyse(samples.Select(x => (short)(x + 1500)).ToArray(), 0, 0, 160);
            Assert.Equal(plain.BandDb, shifted.BandDb);
            Assert.Equal(plain.TotalDb, shifted.TotalDb);
        }
    }

    [Fact]
    public void AnOffsetThatAppearsIsGoneWithinFourSeconds()
    {
        // A codec's digital silence decodes to a small constant; an offset can also come and go with a line.
        var analyser = new BandAnalyser(8000, 160);
        var random = new Random(5);
        var levels = new List<float>();
        for (int frame = 0; frame < 400; frame++)
        {
            int offset = frame < 100 ? 0 : 400;
            var samples = new short[320];
            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)(random.Next(-40, 40) + offset);
            }

            analyser.Analyse(samples, 0, 0, 160);
            levels.Add(analyser.BandDb[0]);
        }

        float quiet = levels.Take(100).Skip(10).Average();
        Assert.True(levels[101] > quiet + 20, $"the step itself is heard: {levels[101]:F1} dB against {quiet:F1}");
        // The lowest band has ten blocks a frame, so single frames of noise swing by several dB: compare averages.
        Assert.InRange(levels.Skip(300).Average(), quiet - 1f, quiet + 1f);
    }

    [Fact]
    public void ALowToneHeldForSecondsIsNotTakenForAnOffset()
    {
        // The offset is followed over most of a second; mains hum (one whole 50 Hz cycle a frame) swings far faster,
        // so five seconds of it keep the level of its first frame, which the offset could not yet have touched.
        var analyser = new BandAnalyser(8000, 160);
        float first = 0;
        for (int frame = 0; frame < 250; frame++)
        {
            var samples = new short[320];
            for (int i = 0; i < 160; i++)
            {
                samples[2 * i] = (short)(4000 * Math.Sin(2 * Math.PI * 50 * (frame * 160 + i) / 8000));
            }

            analyser.Analyse(samples, 0, 0, 160);
            first = frame == 0 ? analyser.BandDb[0] : first;
            Assert.Equal(first, analyser.BandDb[0], 0.05);
        }

        Assert.InRange(first, 60f, 70f);
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
