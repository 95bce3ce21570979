namespace Kuulo.Corpus;

/// <summary>The few signal operations the mixer needs, on float tracks at 8 kHz (-1..1 full scale).</summary>
public static class Dsp
{
    public const int R = ClipLibrary.Rate;

    public static double DbToAmplitude(double db) => Math.Pow(10, db / 20);

    public static double ToDb(double amplitude) => 20 * Math.Log10(Math.Max(amplitude, 1e-9));

    /// <summary>Root mean square over [offset, offset + count); never 0, so it can divide.</summary>
    public static double Rms(float[] samples, int offset, int count)
    {
        double sum = 0;
        int end = Math.Min(samples.Length, offset + count);
        for (int i = offset; i < end; i++)
        {
            sum += samples[i] * samples[i];
        }

        return Math.Max(1e-6, Math.Sqrt(sum / Math.Max(1, end - offset)));
    }

    public static double Rms(float[] samples) => Rms(samples, 0, samples.Length);

    /// <summary>RMS over the samples inside <paramref name="spans"/> (seconds): a talker's active speech level.</summary>
    public static double Rms(float[] samples, IEnumerable<(double Start, double End)> spans)
    {
        double sum = 0;
        long count = 0;
        foreach (var (start, end) in spans)
        {
            int a = Math.Max(0, (int)(start * R)), b = Math.Min(samples.Length, (int)(end * R));
            for (int i = a; i < b; i++)
            {
                sum += samples[i] * samples[i];
            }

            count += Math.Max(0, b - a);
        }

        return Math.Max(1e-6, Math.Sqrt(sum / Math.Max(1, count)));
    }

    /// <summary>Scales in place to the given RMS (measured over the whole track) and returns it.</summary>
    public static float[] Normalise(float[] track, double rms = 1)
    {
        float gain = (float)(rms / Rms(track));
        for (int i = 0; i < track.Length; i++)
        {
            track[i] *= gain;
        }

        return track;
    }

    /// <summary>Adds <paramref name="source"/> × gain into <paramref name="track"/> starting at sample <paramref name="at"/>.</summary>
    public static void AddInto(float[] track, float[] source, double gain, int at = 0)
    {
        for (int i = Math.Max(0, -at); i < source.Length && at + i < track.Length; i++)
        {
            track[at + i] += source[i] * (float)gain;
        }
    }

    public static float[] White(Random rng, int n)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = (float)(2 * rng.NextDouble() - 1);
        }

        return x;
    }

    /// <summary>Pink (1/f) noise via Paul Kellet's economy filter.</summary>
    public static float[] Pink(Random rng, int n)
    {
        double b0 = 0, b1 = 0, b2 = 0;
        var pink = new float[n];
        for (int i = 0; i < n; i++)
        {
            double white = 2 * rng.NextDouble() - 1;
            b0 = 0.99765 * b0 + white * 0.0990460;
            b1 = 0.96300 * b1 + white * 0.2965164;
            b2 = 0.57000 * b2 + white * 1.0526913;
            pink[i] = (float)(b0 + b1 + b2 + white * 0.1848);
        }

        return pink;
    }

    /// <summary>Brown (1/f²) noise: leaky integrated white noise.</summary>
    public static float[] Brown(Random rng, int n)
    {
        var x = new float[n];
        double y = 0;
        for (int i = 0; i < n; i++)
        {
            y = 0.995 * y + (2 * rng.NextDouble() - 1);
            x[i] = (float)y;
        }

        return x;
    }

    /// <summary>One-pole low-pass in place, <paramref name="order"/> times (6 dB/octave each).</summary>
    public static float[] LowPass(float[] x, double cutoffHz, int order = 1)
    {
        double a = 1 - Math.Exp(-2 * Math.PI * cutoffHz / R);
        for (int o = 0; o < order; o++)
        {
            double y = 0;
            for (int i = 0; i < x.Length; i++)
            {
                y += a * (x[i] - y);
                x[i] = (float)y;
            }
        }

        return x;
    }

    /// <summary>One-pole high-pass in place (the signal minus its low-pass).</summary>
    public static float[] HighPass(float[] x, double cutoffHz)
    {
        double a = 1 - Math.Exp(-2 * Math.PI * cutoffHz / R);
        double y = 0;
        for (int i = 0; i < x.Length; i++)
        {
            y += a * (x[i] - y);
            x[i] = (float)(x[i] - y);
        }

        return x;
    }

    /// <summary>A second-order band-pass (RBJ cookbook, 0 dB peak gain) in place.</summary>
    public static float[] BandPass(float[] x, double centreHz, double q)
    {
        double w = 2 * Math.PI * centreHz / R, alpha = Math.Sin(w) / (2 * q), a0 = 1 + alpha;
        double b0 = alpha / a0, b2 = -alpha / a0, a1 = -2 * Math.Cos(w) / a0, a2 = (1 - alpha) / a0;
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double y = b0 * x[i] + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = x[i];
            y2 = y1;
            y1 = y;
            x[i] = (float)y;
        }

        return x;
    }

    /// <summary>A raised-cosine fade weight for sample i of a span [from, to) with fades of <paramref name="fade"/> samples.</summary>
    public static float Fade(int i, int from, int to, int fade) =>
        fade <= 0 ? 1f : (float)Math.Clamp(Math.Min(i - from, to - 1 - i) / (double)fade, 0, 1);
}
