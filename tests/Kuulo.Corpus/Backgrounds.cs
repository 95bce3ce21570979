namespace Kuulo.Corpus;

/// <summary>
/// Sounds that are never anyone's speech in the call: the customer's room (street, café babble, music, TV, car,
/// fan) and the agent's office (neighbouring agents, keyboard and mouse, breathing). Each track comes back at unit
/// RMS (or at a stated level) for the mixer to scale. Background voices are the conversation's split's speakers,
/// preferring those not in the call, so a held-out corpus never contains a tuned-on voice.
/// </summary>
public sealed class Backgrounds(ClipLibrary library, Knobs knobs, Random rng)
{
    private const int R = Dsp.R;

    /// <summary>Voices for babble, TV and neighbours.</summary>
    private string[] Others()
    {
        var split = Speakers.In(knobs.Split).Select(s => s.Name).ToArray();
        var others = split.Where(s => s != knobs.Agent.Name && s != knobs.Customer.Name).ToArray();
        return others.Length >= 2 ? others : split;
    }

    /// <summary>The customer's room noise of the given kind, unit RMS.</summary>
    public float[] CustomerRoom(string kind, int n) => Dsp.Normalise(kind switch
    {
        "street" => Street(n),
        "babble" => Babble(n, 6 + rng.Next(5)),
        "music" => Music(n),
        "tv" => Tv(n),
        "car" => Car(n),
        "fan" => Fan(n),
        _ => throw new ArgumentException("no such noise: " + kind),
    });

    /// <summary>Traffic: low-passed noise, slowly modulated, with cars passing as swells of a few seconds.</summary>
    private float[] Street(int n)
    {
        var rumble = Dsp.LowPass(Dsp.White(rng, n), 700, 2);
        var passing = Dsp.LowPass(Dsp.White(rng, n), 1600, 2);
        double f1 = Uniform(0.05, 0.3), f2 = Uniform(0.3, 1.0), p1 = Uniform(0, 6.3), p2 = Uniform(0, 6.3);
        var swells = new double[n];
        for (double t = Uniform(0, 6); t * R < n; t += Uniform(4, 15))
        {
            double width = Uniform(1.2, 3.5), peak = Dsp.DbToAmplitude(Uniform(6, 15));
            for (int i = Math.Max(0, (int)((t - 3 * width) * R)); i < Math.Min(n, (int)((t + 3 * width) * R)); i++)
            {
                double x = (i / (double)R - t) / width;
                swells[i] += peak * Math.Exp(-x * x);
            }
        }

        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            double t = i / (double)R;
            double mod = Dsp.DbToAmplitude(3 * Math.Sin(2 * Math.PI * f1 * t + p1) + 1.5 * Math.Sin(2 * Math.PI * f2 * t + p2));
            y[i] = (float)(rumble[i] * mod + passing[i] * swells[i] * 0.5);
        }

        return y;
    }

    /// <summary>Café babble: several people talking at once, each a stream of prompts with short gaps.</summary>
    public float[] Babble(int n, int voices)
    {
        var others = Others();
        var y = new float[n];
        for (int v = 0; v < voices; v++)
        {
            Talk(y, others[rng.Next(others.Length)], 0, n, 0.05, 0.5, Uniform(-3, 3));
        }

        return y;
    }

    /// <summary>A radio or stereo in the room: one of the hold-music recordings.</summary>
    private float[] Music(int n)
    {
        var music = library.Music[rng.Next(library.Music.Length)].Samples;
        int offset = rng.Next(music.Length);
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = music[(offset + i) % music.Length];
        }

        return y;
    }

    /// <summary>A TV: a presenter (other speech) over music, through a small loudspeaker.</summary>
    private float[] Tv(int n)
    {
        var speech = new float[n];
        Talk(speech, Others()[rng.Next(Others().Length)], 0, n, 0.15, 1.2, 0);
        var y = Dsp.Normalise(speech);
        Dsp.AddInto(y, Dsp.Normalise(Music(n)), Dsp.DbToAmplitude(Uniform(-12, -4)));
        return Dsp.HighPass(y, 180);
    }

    /// <summary>Car cabin rumble: brown noise, low-passed, with a little broadband road noise.</summary>
    private float[] Car(int n)
    {
        var y = Dsp.Normalise(Dsp.LowPass(Dsp.Brown(rng, n), 400));
        Dsp.AddInto(y, Dsp.Normalise(Dsp.LowPass(Dsp.Pink(rng, n), 1500)), 0.3);
        return y;
    }

    /// <summary>A fan or air conditioning: low-passed pink noise with a faint blade hum.</summary>
    private float[] Fan(int n)
    {
        var y = Dsp.Normalise(Dsp.LowPass(Dsp.Pink(rng, n), Uniform(800, 2000)));
        double hum = Uniform(90, 240), phase = Uniform(0, 6.3);
        for (int i = 0; i < n; i++)
        {
            y[i] += (float)(0.15 * Math.Sin(2 * Math.PI * hum * i / R + phase));
        }

        return y;
    }

    /// <summary>Neighbouring agents on their own calls: talk spurts of 2-8 s with pauses, slightly muffled by distance.</summary>
    public float[] Neighbours(int n, int count)
    {
        var y = new float[n];
        var others = Others();
        for (int k = 0; k < count; k++)
        {
            var one = new float[n];
            string voice = others[rng.Next(others.Length)];
            for (double t = Uniform(0, 3); t * R < n;)
            {
                double spurt = Uniform(2, 8);
                int from = (int)(t * R), to = Math.Min(n, (int)((t + spurt) * R));
                Talk(one, voice, from, to, 0.1, 0.4, 0);
                t += spurt + Uniform(1, 5);
            }

            Dsp.AddInto(y, Dsp.Normalise(one), 1);
        }

        return Dsp.LowPass(y, 2500);
    }

    /// <summary>
    /// Keyboard and mouse: bursts of 3-20 keystrokes (decaying broadband clicks of 4-10 ms, 70-250 ms apart) or a
    /// mouse double-click, placed anywhere and more often in dead air and holds, when agents look things up.
    /// Click peaks at <paramref name="peak"/>.
    /// </summary>
    public float[] Keyboard(int n, double burstsPerMinute, IReadOnlyList<(double Start, double End)> busy, double peak)
    {
        var y = new float[n];
        int bursts = (int)Math.Round(burstsPerMinute * n / (60.0 * R));
        for (int b = 0; b < bursts; b++)
        {
            double t = Uniform(0, n / (double)R);
            if (busy.Count > 0 && rng.NextDouble() < 0.5)
            {
                var span = busy[rng.Next(busy.Count)];
                t = Uniform(span.Start, span.End);
            }

            bool mouse = rng.NextDouble() < 0.25;
            int clicks = mouse ? 2 : 3 + rng.Next(18);
            for (int c = 0; c < clicks; c++)
            {
                Click(y, (int)(t * R), mouse ? Uniform(2, 4) : Uniform(4, 10), peak * Dsp.DbToAmplitude(Uniform(-6, 0)));
                t += mouse ? Uniform(0.08, 0.15) : Uniform(0.07, 0.25);
            }
        }

        return y;
    }

    /// <summary>Breath intakes (band-passed noise swells of 0.25-0.6 s) before some turns, and lip smacks; never speech.</summary>
    public float[] Breathing(int n, IReadOnlyList<(double Start, double End)> speech, double level)
    {
        var y = new float[n];
        for (int k = 0; k < speech.Count; k++)
        {
            double gap = k == 0 ? speech[k].Start : speech[k].Start - speech[k - 1].End;
            if (gap < 0.8 || rng.NextDouble() > 0.45)
            {
                continue;
            }

            double length = Uniform(0.25, 0.6), end = speech[k].Start - Uniform(0.05, 0.2);
            int from = (int)((end - length) * R), to = (int)(end * R);
            if (from < 0)
            {
                continue;
            }

            var breath = Dsp.Normalise(Dsp.BandPass(Dsp.White(rng, to - from), Uniform(900, 1800), 0.8));
            double gain = level * Dsp.DbToAmplitude(Uniform(-6, 0));
            for (int i = from; i < to; i++)
            {
                double x = (i - from) / (double)(to - from);
                y[i] += (float)(breath[i - from] * gain * Math.Sin(Math.PI * x));
            }

            if (rng.NextDouble() < 0.3)
            {
                Click(y, to + (int)(0.02 * R), Uniform(8, 20), level * 2);
            }
        }

        return y;
    }

    /// <summary>A decaying, high-passed noise burst: a key, a mouse button or a lip smack.</summary>
    private void Click(float[] y, int at, double ms, double peak)
    {
        int length = (int)(ms * R / 1000);
        double last = 0;
        for (int i = 0; i < length && at + i < y.Length; i++)
        {
            if (at + i < 0)
            {
                continue;
            }

            double white = 2 * rng.NextDouble() - 1;
            double hp = white - last;
            last = white;
            y[at + i] += (float)(peak * 0.5 * hp * Math.Exp(-4.0 * i / length));
        }
    }

    /// <summary>Fills [from, to) with one voice's prompts separated by gaps, each at unit RMS × a level offset.</summary>
    private void Talk(float[] y, string voice, int from, int to, double minGap, double maxGap, double offsetDb)
    {
        var clips = library.BySpeaker[voice];
        int at = from + rng.Next(R / 2);
        while (at < to)
        {
            var clip = clips[rng.Next(clips.Length)].Samples;
            double gain = Dsp.DbToAmplitude(offsetDb + Uniform(-2, 2)) / Dsp.Rms(clip);
            for (int i = 0; i < clip.Length && at + i < to; i++)
            {
                y[at + i] += (float)(clip[i] * gain);
            }

            at += clip.Length + (int)(Uniform(minGap, maxGap) * R);
        }
    }

    private double Uniform(double min, double max) => min + (max - min) * rng.NextDouble();
}
