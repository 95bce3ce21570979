namespace Kuulo.Corpus;

/// <summary>
/// Writes the script of one conversation from real recorded prompts: two speakers taking turns with natural gaps,
/// plus the situations Kuulo must judge (interruptions, backchannels, customer overlaps, dead air, holds, a long
/// monologue). It places dry clips and labels them; <see cref="Mixer"/> then puts the voices in rooms, on a line
/// and in an office. Every label comes from where a clip was put, never from a detector.
/// </summary>
public sealed class ConversationBuilder
{
    private const int R = ClipLibrary.Rate;
    private const double MaxSeconds = 260;

    private readonly ClipLibrary _library;
    private readonly Knobs _knobs;
    private readonly Random _rng;
    private readonly Random _mixRng;
    private readonly float[] _agent = new float[(int)(MaxSeconds * R)];
    private readonly float[] _customer = new float[(int)(MaxSeconds * R)];
    private readonly List<(double Start, double End)> _agentSpeech = new();
    private readonly List<(double Start, double End)> _customerSpeech = new();
    private readonly List<LabelEvent> _events = new();

    /// <param name="mode">clean, real or mixed (<see cref="Knobs.Modes"/>).</param>
    /// <param name="split">tune or heldout speakers; null: either, drawn per conversation.</param>
    public ConversationBuilder(ClipLibrary library, int seed, string mode = Knobs.Real, string? split = null)
    {
        _library = library;
        // Separate streams, so that adding a condition does not rewrite every conversation's script.
        _knobs = Knobs.Draw(Stream(seed, 0), mode, split);
        _rng = Stream(seed, 1);
        _mixRng = Stream(seed, 2);
    }

    /// <summary>
    /// A random stream for a seed, its bits mixed first (SplitMix64's finaliser): System.Random's first draws for
    /// neighbouring seeds are nearly equal, which would make conversation i and i+1 alike.
    /// </summary>
    private static Random Stream(int seed, int stream)
    {
        ulong z = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)stream * 0xBF58476D1CE4E5B9UL + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return new Random((int)(z & 0x7FFFFFFF));
    }

    public Knobs Knobs => _knobs;

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

        int n = (int)((t + Uniform(0.3, 1.5)) * R);
        _agentSpeech.Sort();
        _customerSpeech.Sort();
        var script = new Script(_agent[..n], _customer[..n], _agentSpeech, _customerSpeech, _events.OrderBy(e => e.Start).ToList());
        return new Mixer(_library, _knobs, _mixRng).Mix(script);
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

    /// <summary>
    /// A short agent "yes"/"okay"/digit inside customer speech; the customer carries on. The shortest prompts
    /// (0.2-0.7 s), 0-8 dB under the agent's own speaking level, as backchannels are quieter than turns.
    /// </summary>
    private double Backchannel(double t)
    {
        var customer = Utterance(Who.Customer, t, 2, 4, 2.6);
        var clip = Pick(_knobs.Agent.Name, 0.2, 0.7);
        double start = Uniform(customer.Start + 0.6, customer.End - clip.Seconds - 0.4);
        Place(Who.Agent, clip, start, -Uniform(0, 8));
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

    /// <summary>
    /// The agent puts the customer on hold for 8-22 s, then returns. Half the time the hold cuts the customer off
    /// mid-sentence; the agent's return may start while the hold fades out, and the customer may be heard
    /// mid-sentence as the line comes back. What the line carries meanwhile is the mixer's (<see cref="Knobs.HoldKind"/>).
    /// </summary>
    private double Hold(double t)
    {
        var agent = Utterance(Who.Agent, t, 1, 2, 0);
        double start = agent.End + Uniform(0.3, 0.8);
        if (_rng.NextDouble() < 0.5)
        {
            var customer = Utterance(Who.Customer, agent.End + Uniform(0.2, 0.6), 1, 2, 1.5);
            start = customer.Start + Uniform(0.6, customer.End - customer.Start - 0.2);
            Truncate(Who.Customer, start);
        }

        double end = start + Uniform(8, 22);
        _events.Add(new LabelEvent("hold", start, end, true));
        double u = _rng.NextDouble();
        if (u < 0.3)
        {
            // The line comes back with the customer mid-sentence (talking to someone in their room).
            var customer = Utterance(Who.Customer, end - Uniform(0.3, 1.0), 1, 2, 1.5);
            Silence(Who.Customer, customer.Start, end);
            return Utterance(Who.Agent, customer.End + TurnGap(), 1, 2, 0).End + TurnGap();
        }

        // The agent comes back, sometimes before the hold has faded out.
        double back = u < 0.65 ? end - Uniform(0, 0.8) : end + Uniform(0.4, 1.0);
        return Utterance(Who.Agent, back, 1, 2, 0).End + TurnGap();
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
            end = Place(Who.Agent, Pick(_knobs.Agent.Name, 0.5, 4), end) + Uniform(0.08, 0.28);
        }

        _events.Add(new LabelEvent("monologue", t + 60, null, false));
        return LastSpeechEnd(Who.Agent) + TurnGap();
    }

    // --- building blocks ------------------------------------------------------------------------

    /// <summary>One speaker's utterance of a few prompts separated by short pauses, at least <paramref name="minSeconds"/> long.</summary>
    private (double Start, double End) Utterance(Who who, double start, int minClips, int maxClips, double minSeconds)
    {
        string voice = who == Who.Agent ? _knobs.Agent.Name : _knobs.Customer.Name;
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

    /// <summary>
    /// Puts a clip at <paramref name="start"/> at the speaker's level, plus an offset, and labels it; returns its end. Phrases
    /// of one talker differ by up to 10 dB (a head turned from the microphone, a sentence trailing off), more often quieter.
    /// </summary>
    private double Place(Who who, Clip clip, double start, double offsetDb = 0)
    {
        var track = who == Who.Agent ? _agent : _customer;
        double level = (who == Who.Agent ? _knobs.AgentLevelDb : _knobs.CustomerLevelDb) + offsetDb + Uniform(-6, 4);
        float gain = (float)(Dsp.DbToAmplitude(level) / Dsp.Rms(clip.Samples));
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
    private void Truncate(Who who, double cut) => Silence(who, cut, MaxSeconds);

    /// <summary>Silences a speaker over [from, to) with 10 ms fades either side and cuts the labels to match.</summary>
    private void Silence(Who who, double from, double to)
    {
        var track = who == Who.Agent ? _agent : _customer;
        var speech = who == Who.Agent ? _agentSpeech : _customerSpeech;
        int a = (int)Math.Round(from * R), b = Math.Min(track.Length, (int)Math.Round(to * R));
        const int Fade = R / 100;
        for (int i = Math.Max(0, a - Fade); i < Math.Min(track.Length, b + Fade); i++)
        {
            track[i] *= i < a ? (a - i) / (float)Fade : i >= b ? (i - b + 1) / (float)(Fade + 1) : 0f;
        }

        double cutFrom = a / (double)R, cutTo = b / (double)R;
        var kept = new List<(double Start, double End)>();
        foreach (var (s, e) in speech)
        {
            if (s < cutFrom)
            {
                kept.Add((s, Math.Min(e, cutFrom)));
            }

            if (e > cutTo)
            {
                kept.Add((Math.Max(s, cutTo), e));
            }
        }

        speech.Clear();
        speech.AddRange(kept.Where(s => s.End - s.Start >= 0.02));
    }

    private Clip Pick(string voice, double minSeconds, double maxSeconds)
    {
        var clips = _library.BySpeaker[voice];
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

/// <summary>A conversation's dry voices and labels, before rooms, line and office are added.</summary>
public sealed record Script(
    float[] Agent, float[] Customer,
    List<(double Start, double End)> AgentSpeech, List<(double Start, double End)> CustomerSpeech,
    List<LabelEvent> Events)
{
    public int Length => Agent.Length;

    public IEnumerable<LabelEvent> Of(string type) => Events.Where(e => e.Type == type);
}
