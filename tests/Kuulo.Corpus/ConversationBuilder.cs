namespace Kuulo.Corpus;

/// <summary>
/// Mixes one conversation from real recorded prompts: two speakers taking turns with natural gaps, plus the
/// situations Kuulo must judge (interruptions, backchannels, customer overlaps, dead air, hold music, a long
/// monologue) and the line conditions it must survive (echo of the customer in the agent's mic, noise, office
/// babble, level differences). Every label comes from where a clip was put, never from a detector.
/// </summary>
public sealed class ConversationBuilder
{
    private const int R = ClipLibrary.Rate;
    private const double MaxSeconds = 260;

    private readonly ClipLibrary _library;
    private readonly Random _rng;
    private readonly float[] _agent = new float[(int)(MaxSeconds * R)];
    private readonly float[] _customer = new float[(int)(MaxSeconds * R)];
    private readonly List<(double Start, double End)> _agentSpeech = new();
    private readonly List<(double Start, double End)> _customerSpeech = new();
    private readonly List<LabelEvent> _events = new();
    private readonly string _agentVoice;
    private readonly string _customerVoice;
    private readonly double _agentLevelDb;
    private readonly double _customerLevelDb;

    public ConversationBuilder(ClipLibrary library, int seed)
    {
        _library = library;
        _rng = new Random(seed);
        var voices = ClipLibrary.Voices;
        _agentVoice = voices[_rng.Next(voices.Length)];
        do
        {
            _customerVoice = voices[_rng.Next(voices.Length)];
        }
        while (_customerVoice == _agentVoice);

        // Speech around -22 dBFS, each side offset by a headset/line level difference.
        _agentLevelDb = -22 + Uniform(-10, 5);
        _customerLevelDb = -22 + Uniform(-10, 5);
    }

    private enum Who { Agent, Customer }

    public Conversation Build()
    {
        var specials = new List<Func<double, double>>();
        int interruptions = 1 + _rng.Next(2);
        for (int i = 0; i < interruptions; i++) { specials.Add(Interruption); }
        int backchannels = 1 + _rng.Next(3);
        for (int i = 0; i < backchannels; i++) { specials.Add(Backchannel); }
        if (_rng.NextDouble() < 0.6) { specials.Add(CustomerOverlap); }
        if (_rng.NextDouble() < 0.75) { specials.Add(DeadAir); }
        if (_rng.NextDouble() < 0.5) { specials.Add(Hold); }
        bool monologue = _rng.NextDouble() < 0.2;
        if (monologue) { specials.Add(Monologue); }
        Shuffle(specials);

        double target = Uniform(60, 95) + (monologue ? 65 : 0);
        double t = Uniform(0.5, 1.5);
        var next = _rng.NextDouble() < 0.6 ? Who.Agent : Who.Customer;
        while (t < target || specials.Count > 0)
        {
            if (specials.Count > 0 && (_rng.NextDouble() < 0.45 || t >= target))
            {
                var action = specials[^1];
                specials.RemoveAt(specials.Count - 1);
                t = action(t);
                next = Last() == Who.Agent ? Who.Customer : Who.Agent;
            }
            else
            {
                t = Utterance(next, t, 1, 3, 0).End + TurnGap();
                next = next == Who.Agent ? Who.Customer : Who.Agent;
            }
        }

        return Mix(t + Uniform(0.3, 1.5));
    }

    // --- the situations -------------------------------------------------------------------------

    /// <summary>The agent starts while the customer talks and keeps going; the customer gives way.</summary>
    private double Interruption(double t)
    {
        var customer = Utterance(Who.Customer, t, 2, 4, 2.2);
        double onset = customer.Start + Uniform(0.8, Math.Min(customer.End - customer.Start - 0.4, 3.0));
        double cut = Math.Min(onset + Uniform(0.5, 1.1), customer.End);
        Truncate(Who.Customer, cut);
        var agent = Utterance(Who.Agent, onset, 2, 3, 1.6);
        _events.Add(new LabelEvent("interruption", onset, LastSpeechEnd(Who.Customer), false));
        return agent.End + TurnGap();
    }

    /// <summary>A short agent "yes"/"okay" inside customer speech; the customer carries on.</summary>
    private double Backchannel(double t)
    {
        var customer = Utterance(Who.Customer, t, 2, 4, 2.6);
        var clip = Pick(_agentVoice, 0.25, 0.75);
        double start = Uniform(customer.Start + 0.6, customer.End - clip.Seconds - 0.4);
        Place(Who.Agent, clip, start);
        _events.Add(new LabelEvent("backchannel", start, start + clip.Seconds, false));
        return customer.End + TurnGap();
    }

    /// <summary>The customer starts talking over the agent, who stops.</summary>
    private double CustomerOverlap(double t)
    {
        var agent = Utterance(Who.Agent, t, 2, 3, 2.0);
        double onset = agent.Start + Uniform(1.0, agent.End - agent.Start - 0.3);
        double cut = Math.Min(onset + Uniform(0.4, 0.9), agent.End);
        Truncate(Who.Agent, cut);
        var customer = Utterance(Who.Customer, onset, 1, 3, 1.2);
        _events.Add(new LabelEvent("customer_overlap", onset, LastSpeechEnd(Who.Agent), false));
        return customer.End + TurnGap();
    }

    /// <summary>Both sides silent for 6.5-11 s, as when the agent searches a screen.</summary>
    private double DeadAir(double t)
    {
        if (_agentSpeech.Count + _customerSpeech.Count == 0)
        {
            // Dead air needs a call in progress: somebody has to have spoken first.
            t = Utterance(Who.Agent, t, 1, 2, 0).End;
        }

        double start = Math.Max(LastSpeechEnd(Who.Agent), LastSpeechEnd(Who.Customer));
        double end = start + Uniform(6.5, 11);
        _events.Add(new LabelEvent("dead_air", start, end, true));
        return end;
    }

    /// <summary>The agent puts the customer on hold: music on the customer side, then the agent returns.</summary>
    private double Hold(double t)
    {
        var agent = Utterance(Who.Agent, t, 1, 2, 0);
        double start = agent.End + Uniform(0.3, 0.8);
        double end = start + Uniform(8, 22);
        var music = _library.Music[_rng.Next(_library.Music.Length)];
        int offset = _rng.Next(Math.Max(1, music.Samples.Length - (int)((end - start) * R)));
        float gain = (float)(DbToAmplitude(Uniform(-36, -26)) / Rms(music.Samples, offset, (int)((end - start) * R)));
        int from = (int)(start * R), to = (int)(end * R);
        for (int i = from; i < to; i++)
        {
            float fade = Math.Min(1f, Math.Min(i - from, to - i) / (0.05f * R));
            _customer[i] += music.Samples[(offset + i - from) % music.Samples.Length] * gain * fade;
        }

        _events.Add(new LabelEvent("hold", start, end, true));
        return Utterance(Who.Agent, end + Uniform(0.4, 1.0), 1, 2, 0).End + TurnGap();
    }

    /// <summary>The agent talks for over a minute with only short pauses.</summary>
    private double Monologue(double t)
    {
        if (Last() == Who.Agent)
        {
            // The monologue is one agent turn: let the customer have the last word before it starts.
            t = Utterance(Who.Customer, t, 1, 2, 0).End + TurnGap();
        }

        double length = Uniform(62, 68);
        double end = t;
        while (end - t < length)
        {
            end = Place(Who.Agent, Pick(_agentVoice, 0.5, 4), end) + Uniform(0.08, 0.28);
        }

        _events.Add(new LabelEvent("monologue", t + 60, null, false));
        return LastSpeechEnd(Who.Agent) + TurnGap();
    }

    // --- building blocks ------------------------------------------------------------------------

    /// <summary>One speaker's utterance of a few prompts separated by short pauses, at least <paramref name="minSeconds"/> long.</summary>
    private (double Start, double End) Utterance(Who who, double start, int minClips, int maxClips, double minSeconds)
    {
        string voice = who == Who.Agent ? _agentVoice : _customerVoice;
        int clips = minClips + _rng.Next(maxClips - minClips + 1);
        double t = start;
        for (int i = 0; i < clips || t - start < minSeconds; i++)
        {
            if (i > 0)
            {
                t += Uniform(0.1, 0.3);
            }

            t = Place(who, Pick(voice, 0.6, 4), t);
        }

        return (start, t);
    }

    /// <summary>Puts a clip at <paramref name="start"/> at the speaker's level (±2 dB) and labels it; returns its end.</summary>
    private double Place(Who who, Clip clip, double start)
    {
        var track = who == Who.Agent ? _agent : _customer;
        double level = (who == Who.Agent ? _agentLevelDb : _customerLevelDb) + Uniform(-2, 2);
        float gain = (float)(DbToAmplitude(level) / Rms(clip.Samples, 0, clip.Samples.Length));
        int at = (int)Math.Round(start * R);
        for (int i = 0; i < clip.Samples.Length; i++)
        {
            track[at + i] += clip.Samples[i] * gain;
        }

        double s = at / (double)R, e = (at + clip.Samples.Length) / (double)R;
        (who == Who.Agent ? _agentSpeech : _customerSpeech).Add((s, e));
        return e;
    }

    /// <summary>Silences a speaker from <paramref name="cut"/> on (with a 10 ms fade) and trims the labels to match.</summary>
    private void Truncate(Who who, double cut)
    {
        var track = who == Who.Agent ? _agent : _customer;
        var speech = who == Who.Agent ? _agentSpeech : _customerSpeech;
        int at = (int)Math.Round(cut * R);
        int fade = R / 100;
        for (int i = at; i < track.Length; i++)
        {
            track[i] *= i < at + fade ? 1f - (i - at) / (float)fade : 0f;
        }

        speech.RemoveAll(s => s.Start >= cut);
        if (speech.Count > 0 && speech[^1].End > cut)
        {
            speech[^1] = (speech[^1].Start, at / (double)R);
        }
    }

    private Clip Pick(string voice, double minSeconds, double maxSeconds)
    {
        var clips = _library.ByVoice[voice];
        for (int tries = 0; tries < 1000; tries++)
        {
            var clip = clips[_rng.Next(clips.Length)];
            if (clip.Seconds >= minSeconds && clip.Seconds <= maxSeconds)
            {
                return clip;
            }
        }

        throw new CorpusException($"{voice} has no prompt between {minSeconds} and {maxSeconds} s");
    }

    private Who Last() => LastSpeechEnd(Who.Agent) >= LastSpeechEnd(Who.Customer) ? Who.Agent : Who.Customer;

    private double LastSpeechEnd(Who who)
    {
        var speech = who == Who.Agent ? _agentSpeech : _customerSpeech;
        return speech.Count == 0 ? 0 : speech.Max(s => s.End);
    }

    private double TurnGap() => Uniform(0.25, 1.2);

    // --- line conditions --------------------------------------------------------------------------

    private Conversation Mix(double seconds)
    {
        int n = (int)(seconds * R);
        int rate = _rng.NextDouble() < 0.25 ? 16000 : 8000;
        double echoDb = Uniform(-35, -20);
        int echoDelayMs = _rng.Next(0, 61);
        // Background sits well below a close-talking headset voice, as in a contact centre: babble 20-32 dB
        // under the agent, line noise 28-40 dB under the quieter talker, a fan 24-34 dB under the agent.
        double babbleDb = _agentLevelDb - Uniform(20, 32);
        double noiseDb = Math.Min(_agentLevelDb, _customerLevelDb) - Uniform(28, 40);
        bool pink = _rng.NextDouble() < 0.3;
        double pinkDb = _agentLevelDb - Uniform(24, 34);

        var agent = new float[n];
        var customer = new float[n];
        Array.Copy(_customer, customer, n);
        float echo = (float)DbToAmplitude(echoDb);
        int delay = echoDelayMs * R / 1000;
        for (int i = 0; i < n; i++)
        {
            agent[i] = _agent[i] + (i >= delay ? customer[i - delay] * echo : 0f);
        }

        AddBabble(agent, babbleDb);
        if (pink)
        {
            AddPinkNoise(agent, pinkDb);
        }

        var left = Resample(agent, rate);
        var right = Resample(customer, rate);
        float noise = (float)(DbToAmplitude(noiseDb) * Math.Sqrt(3));
        var interleaved = new short[left.Length * 2];
        for (int i = 0; i < left.Length; i++)
        {
            interleaved[2 * i] = ToPcm(left[i] + noise * (float)(2 * _rng.NextDouble() - 1));
            interleaved[2 * i + 1] = ToPcm(right[i] + noise * (float)(2 * _rng.NextDouble() - 1));
        }

        _agentSpeech.Sort();
        _customerSpeech.Sort();
        var events = _events.OrderBy(e => e.Start).ToList();
        return new Conversation
        {
            SampleRate = rate,
            Interleaved = interleaved,
            AgentSpeech = new List<(double, double)>(_agentSpeech),
            CustomerSpeech = new List<(double, double)>(_customerSpeech),
            Events = events,
            Conditions = new Dictionary<string, object>
            {
                ["agent_voice"] = _agentVoice,
                ["customer_voice"] = _customerVoice,
                ["agent_level_db"] = Math.Round(_agentLevelDb, 1),
                ["customer_level_db"] = Math.Round(_customerLevelDb, 1),
                ["echo_db"] = Math.Round(echoDb, 1),
                ["echo_delay_ms"] = echoDelayMs,
                ["babble_db"] = Math.Round(babbleDb, 1),
                ["noise_db"] = Math.Round(noiseDb, 1),
                ["pink_noise_db"] = pink ? Math.Round(pinkDb, 1) : "none",
            },
        };
    }

    /// <summary>Office babble: three other speakers talking on, quietly, behind the agent.</summary>
    private void AddBabble(float[] track, double levelDb)
    {
        var others = ClipLibrary.Voices.Where(v => v != _agentVoice && v != _customerVoice).ToArray();
        double perStream = levelDb - 4.8;
        for (int stream = 0; stream < 3; stream++)
        {
            string voice = others[_rng.Next(others.Length)];
            int at = _rng.Next(R);
            while (at < track.Length)
            {
                var clip = Pick(voice, 0.5, 6);
                float gain = (float)(DbToAmplitude(perStream) / Rms(clip.Samples, 0, clip.Samples.Length));
                for (int i = 0; i < clip.Samples.Length && at + i < track.Length; i++)
                {
                    track[at + i] += clip.Samples[i] * gain;
                }

                at += clip.Samples.Length + (int)(Uniform(0.1, 0.6) * R);
            }
        }
    }

    /// <summary>Pink (1/f) noise, like a fan or air conditioning, via Paul Kellet's economy filter.</summary>
    private void AddPinkNoise(float[] track, double levelDb)
    {
        double b0 = 0, b1 = 0, b2 = 0;
        var pink = new float[track.Length];
        for (int i = 0; i < track.Length; i++)
        {
            double white = 2 * _rng.NextDouble() - 1;
            b0 = 0.99765 * b0 + white * 0.0990460;
            b1 = 0.96300 * b1 + white * 0.2965164;
            b2 = 0.57000 * b2 + white * 1.0526913;
            pink[i] = (float)(b0 + b1 + b2 + white * 0.1848);
        }

        float gain = (float)(DbToAmplitude(levelDb) / Rms(pink, 0, pink.Length));
        for (int i = 0; i < track.Length; i++)
        {
            track[i] += pink[i] * gain;
        }
    }

    private static float[] Resample(float[] source, int rate)
    {
        if (rate == R)
        {
            return source;
        }

        var result = new float[source.Length * 2];
        for (int i = 0; i < result.Length; i++)
        {
            int j = i / 2;
            result[i] = i % 2 == 0 || j + 1 >= source.Length ? source[j] : 0.5f * (source[j] + source[j + 1]);
        }

        return result;
    }

    private static short ToPcm(float x) => (short)Math.Clamp(Math.Round(x * 32767), short.MinValue, short.MaxValue);

    private static double Rms(float[] samples, int offset, int count)
    {
        double sum = 0;
        int end = Math.Min(samples.Length, offset + count);
        for (int i = offset; i < end; i++)
        {
            sum += samples[i] * samples[i];
        }

        return Math.Max(1e-6, Math.Sqrt(sum / Math.Max(1, end - offset)));
    }

    private static double DbToAmplitude(double db) => Math.Pow(10, db / 20);

    private double Uniform(double min, double max) => min + (max - min) * _rng.NextDouble();

    private void Shuffle<T>(List<T> list)
    {
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = _rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }
}
