namespace Kuulo.Corpus;

/// <summary>
/// Turns a script's dry voices into the two channels the desk hears, under the conversation's <see cref="Knobs"/>.
/// Customer: voice in a room (reverb) with the room's noise at the drawn SNR, through a phone (level jumps, AGC,
/// clipping, DTX), the PBX (holds), a 300-3400 Hz band limit and a codec. Agent: voice in a headset with office
/// noise, neighbours, keyboard, breathing and an echo of the customer. Labels never change here: the reverb tail,
/// noise and echo are not speech, as a human labeller would mark them.
/// </summary>
public sealed class Mixer(ClipLibrary library, Knobs knobs, Random rng)
{
    private const int R = Dsp.R;

    public Conversation Mix(Script script)
    {
        var holds = script.Of("hold").Select(e => (e.Start, End: e.End ?? e.Start)).ToList();
        var bg = new Backgrounds(library, knobs, rng);
        return knobs.Conditions == Knobs.Clean ? MixClean(script, holds, bg) : MixReal(script, holds, bg);
    }

    private Conversation MixReal(Script script, List<(double Start, double End)> holds, Backgrounds bg)
    {
        int n = script.Length;
        var customerVoice = Room(script.Customer, knobs.CustomerReverb);
        var agentVoice = Room(script.Agent, knobs.AgentReverb);

        // The customer's room: noise at the drawn SNR (active speech level vs noise level outside holds).
        double customerActive = Dsp.Rms(customerVoice, script.CustomerSpeech);
        var noise = bg.CustomerRoom(knobs.CustomerNoise, n);
        var open = Outside(holds, n);
        Mute(noise, holds);
        double noiseGain = customerActive / Dsp.DbToAmplitude(knobs.CustomerSnrDb ?? 60) / Dsp.Rms(noise, open);
        Scale(noise, noiseGain);
        var line = new float[n];
        for (int i = 0; i < n; i++)
        {
            line[i] = customerVoice[i] + noise[i];
        }

        // The phone, then the network: the hold replaces what the customer's phone sends.
        LevelJumps(line);
        if (knobs.AgcPumping)
        {
            Agc(line, customerActive);
        }

        if (knobs.ClipDb is double clipDb)
        {
            float ceiling = (float)(customerActive * Dsp.DbToAmplitude(clipDb));
            for (int i = 0; i < n; i++)
            {
                line[i] = Math.Clamp(line[i], -ceiling, ceiling);
            }
        }

        Dtx(line, script.CustomerSpeech, holds);
        PutOnHold(line, holds, customerActive / Dsp.DbToAmplitude(knobs.CustomerSnrDb ?? 60));
        if (knobs.BandLimit)
        {
            line = Sox.Effects(line, "sinc 300-3400");
        }

        line = knobs.Codec switch
        {
            "ulaw" => Sox.RoundTrip(line, "-t raw -e u-law -b 8"),
            "alaw" => Sox.RoundTrip(line, "-t raw -e a-law -b 8"),
            "gsm" => Sox.RoundTrip(line, "-t gsm"),
            _ => line,
        };

        // The agent's headset in an open-plan office.
        double agentActive = Dsp.Rms(agentVoice, script.AgentSpeech);
        var agent = (float[])agentVoice.Clone();
        var hum = Dsp.Normalise(rng.NextDouble() < 0.5 ? Dsp.LowPass(Dsp.Brown(rng, n), 600) : Dsp.LowPass(Dsp.Pink(rng, n), 2500),
            agentActive / Dsp.DbToAmplitude(knobs.AgentSnrDb));
        Dsp.AddInto(agent, hum, 1);
        if (knobs.Neighbours > 0)
        {
            Dsp.AddInto(agent, Dsp.Normalise(bg.Neighbours(n, knobs.Neighbours)), agentActive * Dsp.DbToAmplitude(knobs.NeighbourDb));
        }

        if (knobs.KeyboardBurstsPerMinute > 0)
        {
            var busy = script.Events.Where(e => e.Type is "dead_air" or "hold").Select(e => (e.Start, e.End ?? e.Start)).ToList();
            Dsp.AddInto(agent, bg.Keyboard(n, knobs.KeyboardBurstsPerMinute, busy, agentActive * Dsp.DbToAmplitude(Uniform(-8, 2))), 1);
        }

        if (knobs.Breathing)
        {
            Dsp.AddInto(agent, bg.Breathing(n, script.AgentSpeech, agentActive * Dsp.DbToAmplitude(Uniform(-30, -18))), 1);
        }

        Dsp.AddInto(agent, Echo(line, script.CustomerSpeech, shaped: true), 1);
        return Finish(script, agent, line, holds.Count > 0, null, null,
            new Stems(customerVoice, noise, line, agentVoice, hum));
    }

    /// <summary>The first corpus's studio-like mix: dry voices, quiet office babble, a plain echo, white line noise.</summary>
    private Conversation MixClean(Script script, List<(double Start, double End)> holds, Backgrounds bg)
    {
        int n = script.Length;
        var line = (float[])script.Customer.Clone();
        PutOnHold(line, holds, 0);
        var agent = (float[])script.Agent.Clone();
        Dsp.AddInto(agent, Echo(line, script.CustomerSpeech, shaped: false), 1);
        double babbleDb = knobs.AgentLevelDb - knobs.AgentSnrDb;
        Dsp.AddInto(agent, Dsp.Normalise(bg.Babble(n, 3)), Dsp.DbToAmplitude(babbleDb));
        double whiteDb = Math.Min(knobs.AgentLevelDb, knobs.CustomerLevelDb) - Uniform(28, 40);
        return Finish(script, agent, line, holds.Count > 0, babbleDb, whiteDb, new Stems(script.Customer, new float[n], line, script.Agent, new float[n]));
    }

    private Conversation Finish(Script script, float[] agent, float[] customer, bool hadHold, double? babbleDb, double? whiteDb, Stems stems)
    {
        var left = Resample(agent, knobs.SampleRate);
        var right = Resample(customer, knobs.SampleRate);
        float white = whiteDb is double db ? (float)(Dsp.DbToAmplitude(db) * Math.Sqrt(3)) : 0f;
        var interleaved = new short[left.Length * 2];
        for (int i = 0; i < left.Length; i++)
        {
            interleaved[2 * i] = ToPcm(left[i] + (white > 0 ? white * (float)(2 * rng.NextDouble() - 1) : 0f), knobs.AgentDcOffset);
            interleaved[2 * i + 1] = ToPcm(right[i] + (white > 0 ? white * (float)(2 * rng.NextDouble() - 1) : 0f), knobs.CustomerDcOffset);
        }

        return new Conversation
        {
            SampleRate = knobs.SampleRate,
            Interleaved = interleaved,
            AgentSpeech = new List<(double, double)>(script.AgentSpeech),
            CustomerSpeech = new List<(double, double)>(script.CustomerSpeech),
            Events = script.Events,
            Conditions = knobs.Record(hadHold, babbleDb, whiteDb),
            Stems = stems,
        };
    }

    /// <summary>Reverberation of a room through sox <c>reverb</c> (reverberance, HF damping, room scale); dry stays as it is.</summary>
    private static float[] Room(float[] voice, string room) => room switch
    {
        "room" => Sox.Effects(voice, "reverb 35 60 40"),
        "hard" => Sox.Effects(voice, "reverb 75 20 90"),
        _ => voice,
    };

    /// <summary>Steps of ±3-8 dB at random moments, as when the customer moves the handset.</summary>
    private void LevelJumps(float[] line)
    {
        if (knobs.LevelJumps == 0)
        {
            return;
        }

        var steps = Enumerable.Range(0, knobs.LevelJumps)
            .Select(_ => (At: rng.Next(line.Length), Db: (rng.NextDouble() < 0.5 ? -1 : 1) * Uniform(3, 8)))
            .OrderBy(s => s.At).ToArray();
        double gain = 1, target = 1, smooth = 1 - Math.Exp(-1.0 / (0.03 * R));
        int next = 0;
        for (int i = 0; i < line.Length; i++)
        {
            while (next < steps.Length && steps[next].At <= i)
            {
                target *= Dsp.DbToAmplitude(steps[next++].Db);
            }

            gain += smooth * (target - gain);
            line[i] *= (float)gain;
        }
    }

    /// <summary>
    /// A phone's automatic gain control: fast to cut, slow to boost (up to 6-12 dB), so the room noise swells in
    /// the customer's pauses and ducks when they speak.
    /// </summary>
    private void Agc(float[] line, double target)
    {
        double maxBoost = Dsp.DbToAmplitude(Uniform(6, 12)), minGain = Dsp.DbToAmplitude(-6);
        double envAttack = 1 - Math.Exp(-1.0 / (0.005 * R)), envRelease = 1 - Math.Exp(-1.0 / (Uniform(0.1, 0.3) * R));
        double gainDown = 1 - Math.Exp(-1.0 / (0.01 * R)), gainUp = 1 - Math.Exp(-1.0 / (Uniform(0.4, 1.5) * R));
        double env = target * target, gain = 1;
        for (int i = 0; i < line.Length; i++)
        {
            double p = line[i] * line[i];
            env += (p > env ? envAttack : envRelease) * (p - env);
            double want = Math.Clamp(target / Math.Sqrt(Math.Max(env, 1e-12)), minGain, maxBoost);
            gain += (want < gain ? gainDown : gainUp) * (want - gain);
            line[i] *= (float)gain;
        }
    }

    /// <summary>
    /// Discontinuous transmission: in the customer's pauses (after a short hangover) the phone stops sending, and
    /// the line carries synthetic comfort noise near the background's level, or exact digital silence.
    /// </summary>
    private void Dtx(float[] line, List<(double Start, double End)> speech, List<(double Start, double End)> holds)
    {
        if (knobs.Dtx == "none")
        {
            return;
        }

        var bounds = new List<double> { 0 };
        foreach (var (s, e) in speech)
        {
            bounds.Add(s);
            bounds.Add(e);
        }

        bounds.Add(line.Length / (double)R);
        for (int k = 0; k + 1 < bounds.Count; k += 2)
        {
            double from = bounds[k] + Uniform(0.1, 0.25), to = bounds[k + 1] - 0.03;
            if (to - from < 0.3 || holds.Any(h => h.Start < to && h.End > from))
            {
                continue;
            }

            int a = (int)(from * R), b = (int)(to * R);
            float level = knobs.Dtx == "zeros" ? 0f : (float)(Dsp.Rms(line, a, b - a) * Dsp.DbToAmplitude(Uniform(-6, 0)));
            var comfort = level > 0 ? Dsp.Normalise(Dsp.LowPass(Dsp.White(rng, b - a), 2500), level) : null;
            for (int i = a; i < b; i++)
            {
                line[i] = comfort == null ? 0f : comfort[i - a];
            }
        }
    }

    /// <summary>
    /// Replaces the line inside each hold with what the PBX plays: music, music with a recorded queue announcement
    /// by a voice not in the call (not the customer's speech), or silence (digital zero or comfort noise far under
    /// the call's noise floor). The hold cuts in at once and fades out over 0.05-1 s.
    /// </summary>
    private void PutOnHold(float[] line, List<(double Start, double End)> holds, double noiseRms)
    {
        foreach (var (start, end) in holds)
        {
            int from = (int)(start * R), to = Math.Min(line.Length, (int)(end * R));
            var content = HoldContent(to - from, noiseRms);
            int fadeIn = R / 100, fadeOut = (int)(Uniform(0.05, 1.0) * R);
            for (int i = from; i < to; i++)
            {
                float w = Math.Min(Math.Min(1f, (i - from) / (float)fadeIn), Math.Min(1f, (to - 1 - i) / (float)fadeOut));
                line[i] = line[i] * (1 - w) + content[i - from] * w;
            }
        }
    }

    private float[] HoldContent(int n, double noiseRms)
    {
        if (knobs.HoldKind == "silence")
        {
            var quiet = new float[n];
            if (noiseRms > 0 && rng.NextDouble() < 0.5)
            {
                Dsp.AddInto(quiet, Dsp.Normalise(Dsp.LowPass(Dsp.White(rng, n), 2500)), noiseRms * Dsp.DbToAmplitude(-Uniform(15, 30)));
            }

            return quiet;
        }

        var music = library.Music[rng.Next(library.Music.Length)].Samples;
        int offset = rng.Next(music.Length);
        double musicRms = Dsp.DbToAmplitude(knobs.Conditions == Knobs.Clean ? Uniform(-36, -26) : knobs.CustomerLevelDb - Uniform(3, 24));
        var y = new float[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = music[(offset + i) % music.Length];
        }

        Dsp.Normalise(y, musicRms);
        if (knobs.HoldKind == "music_voice")
        {
            var voices = Speakers.In(knobs.Split).Where(s => s != knobs.Agent && s != knobs.Customer && library.Announcements[s.Name].Length > 0).ToArray();
            var clips = library.Announcements[voices[rng.Next(voices.Length)].Name];
            for (int at = (int)(Uniform(0.5, 4) * R); at < n;)
            {
                var clip = clips[rng.Next(clips.Length)].Samples;
                Dsp.AddInto(y, clip, musicRms * Dsp.DbToAmplitude(Uniform(3, 9)) / Dsp.Rms(clip), at);
                at += clip.Length + (int)(Uniform(4, 10) * R);
            }
        }

        return y;
    }

    /// <summary>
    /// The customer leaking into the agent's microphone 0-60 ms late. On a real line the path is band-limited and
    /// the earpiece distorts mildly (soft clip); its level is relative to the customer's active level on the line.
    /// </summary>
    private float[] Echo(float[] line, List<(double Start, double End)> speech, bool shaped)
    {
        int delay = knobs.EchoDelayMs * R / 1000;
        var echo = new float[line.Length];
        Array.Copy(line, 0, echo, delay, line.Length - delay);
        double active = Dsp.Rms(line, speech);
        if (shaped)
        {
            Dsp.BandPass(echo, Uniform(700, 1600), Uniform(0.5, 0.9));
            double before = Dsp.Rms(echo, speech), drive = Uniform(1, 3);
            for (int i = 0; i < echo.Length; i++)
            {
                double x = echo[i] / (3 * before);
                echo[i] = (float)(Math.Tanh(drive * x) / drive * 3 * before);
            }

            Scale(echo, active / Dsp.Rms(echo, speech));
        }

        Scale(echo, Dsp.DbToAmplitude(knobs.EchoDb));
        return echo;
    }

    /// <summary>The spans outside all holds: where the customer's room is on the line.</summary>
    private static List<(double Start, double End)> Outside(List<(double Start, double End)> holds, int n)
    {
        var open = new List<(double, double)>();
        double t = 0;
        foreach (var (s, e) in holds.OrderBy(h => h.Start))
        {
            open.Add((t, s));
            t = e;
        }

        open.Add((t, n / (double)R));
        return open;
    }

    private static void Mute(float[] track, List<(double Start, double End)> spans)
    {
        foreach (var (s, e) in spans)
        {
            for (int i = (int)(s * R); i < Math.Min(track.Length, (int)(e * R)); i++)
            {
                track[i] = 0;
            }
        }
    }

    private static void Scale(float[] track, double gain)
    {
        for (int i = 0; i < track.Length; i++)
        {
            track[i] *= (float)gain;
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

    // A recorder's or front end's offset sits under whatever it samples (Knobs.AgentDcOffset).
    private static short ToPcm(float x, int offset) => (short)Math.Clamp(Math.Round(x * 32767) + offset, short.MinValue, short.MaxValue);

    private double Uniform(double min, double max) => min + (max - min) * rng.NextDouble();
}
