namespace Kuulo.Corpus;

/// <summary>
/// The conditions of one conversation, each an independent seeded draw, written to the label file's
/// <c>conditions</c> so that evaluation can break results down by them. <c>clean</c> is the studio-like mix of the
/// first corpus (kept for regression); <c>real</c> is a telephone line, a noisy customer room and a busy office.
/// </summary>
public sealed class Knobs
{
    public const string Clean = "clean";
    public const string Real = "real";
    public const string Mixed = "mixed";
    public static readonly string[] Modes = { Clean, Real, Mixed };

    public static readonly string[] Codecs = { "pcm", "ulaw", "alaw", "gsm" };
    public static readonly string[] CustomerNoises = { "street", "babble", "music", "tv", "car", "fan" };
    public static readonly string[] Rooms = { "dry", "room", "hard" };
    public static readonly string[] HoldKinds = { "music", "silence", "music_voice" };

    public required string Conditions { get; init; }
    public required string Split { get; init; }
    public required Speaker Agent { get; init; }
    public required Speaker Customer { get; init; }
    public required int SampleRate { get; init; }

    /// <summary>Speech around -24 dBFS, each side offset by a headset/line level difference of -18..+8 dB.</summary>
    public required double AgentLevelDb { get; init; }
    public required double CustomerLevelDb { get; init; }

    // Customer line: room noise and reverb, then the phone (level jumps, AGC, clipping, DTX), band limit and codec.
    public required string Codec { get; init; }
    public bool BandLimit => Codec != "pcm";
    public required string CustomerNoise { get; init; }
    public double? CustomerSnrDb { get; init; }
    public required string CustomerReverb { get; init; }
    public int LevelJumps { get; init; }
    public bool AgcPumping { get; init; }
    public double? ClipDb { get; init; }
    public string Dtx { get; init; } = "none";

    // Agent side: close-talk headset in an open-plan office.
    public required string AgentReverb { get; init; }
    public required double AgentSnrDb { get; init; }
    public int Neighbours { get; init; }
    public double NeighbourDb { get; init; }
    public double KeyboardBurstsPerMinute { get; init; }
    public bool Breathing { get; init; }
    public required double EchoDb { get; init; }
    public required int EchoDelayMs { get; init; }

    // A constant offset, in 16-bit steps, under everything a channel carries (0: none): a recorder's or a front end's
    // bias. The desk's PCM1808 filters its own out, but recordings and other front ends fed to kuulo-desk need not.
    public int AgentDcOffset { get; init; }
    public int CustomerDcOffset { get; init; }

    /// <summary>What a hold sounds like if the conversation has one.</summary>
    public required string HoldKind { get; init; }

    /// <summary>Draws a conversation's conditions; <paramref name="split"/> null picks tune or held-out speakers at random.</summary>
    public static Knobs Draw(Random rng, string mode, string? split)
    {
        split ??= Speakers.Splits[rng.Next(Speakers.Splits.Length)];
        var speakers = Speakers.In(split);
        var agent = speakers[rng.Next(speakers.Length)];
        Speaker customer;
        do
        {
            customer = speakers[rng.Next(speakers.Length)];
        }
        while (customer == agent);

        int rate = rng.NextDouble() < 0.25 ? 16000 : 8000;
        double agentLevel = -24 + Uniform(rng, -18, 8), customerLevel = -24 + Uniform(rng, -18, 8);
        bool real = mode == Real || (mode == Mixed && rng.NextDouble() < 0.5);
        if (!real)
        {
            return new Knobs
            {
                Conditions = Clean, Split = split, Agent = agent, Customer = customer, SampleRate = rate,
                AgentLevelDb = agentLevel, CustomerLevelDb = customerLevel,
                Codec = "pcm", CustomerNoise = "none", CustomerReverb = "dry", AgentReverb = "dry",
                AgentSnrDb = Uniform(rng, 24, 34), EchoDb = Uniform(rng, -35, -20), EchoDelayMs = rng.Next(0, 61),
                HoldKind = "music",
            };
        }

        string codec = Pick(rng, Codecs, 0.2, 0.3, 0.25, 0.25);
        return new Knobs
        {
            Conditions = Real, Split = split, Agent = agent, Customer = customer, SampleRate = rate,
            AgentLevelDb = agentLevel, CustomerLevelDb = customerLevel,
            Codec = codec,
            CustomerNoise = CustomerNoises[rng.Next(CustomerNoises.Length)],
            CustomerSnrDb = Math.Round(Uniform(rng, 0, 25), 1),
            CustomerReverb = Pick(rng, Rooms, 0.4, 0.35, 0.25),
            LevelJumps = rng.NextDouble() < 0.4 ? 1 + rng.Next(3) : 0,
            AgcPumping = rng.NextDouble() < 0.35,
            ClipDb = rng.NextDouble() < 0.15 ? Math.Round(Uniform(rng, 4, 10), 1) : null,
            // Discontinuous transmission is what mobile (GSM) and some VoIP (G.711 with VAD) lines do.
            Dtx = codec == "pcm" || rng.NextDouble() < (codec == "gsm" ? 0.4 : 0.75) ? "none" : rng.NextDouble() < 0.5 ? "comfort" : "zeros",
            AgentReverb = Pick(rng, Rooms, 0.7, 0.3, 0),
            AgentSnrDb = Math.Round(Uniform(rng, 15, 35), 1),
            Neighbours = rng.NextDouble() < 0.5 ? 1 + rng.Next(2) : 0,
            NeighbourDb = Math.Round(Uniform(rng, -25, -10), 1),
            KeyboardBurstsPerMinute = rng.NextDouble() < 0.6 ? Math.Round(Uniform(rng, 0.5, 5), 1) : 0,
            Breathing = rng.NextDouble() < 0.5,
            EchoDb = Math.Round(Uniform(rng, -35, -15), 1),
            EchoDelayMs = rng.Next(0, 61),
            HoldKind = HoldKinds[rng.Next(HoldKinds.Length)],
            // Drawn last: the conditions drawn before keep the values they had before offsets were drawn at all.
            AgentDcOffset = DcOffset(rng),
            CustomerDcOffset = DcOffset(rng),
        };
    }

    /// <summary>A third of channels sit 20-600 steps off zero, either way.</summary>
    private static int DcOffset(Random rng) => rng.NextDouble() < 0.33 ? (rng.Next(2) == 0 ? -1 : 1) * rng.Next(20, 601) : 0;

    /// <summary>The flat <c>conditions</c> object of the label file.</summary>
    public Dictionary<string, object> Record(bool hadHold, double? babbleDb, double? whiteNoiseDb)
    {
        var c = new Dictionary<string, object>
        {
            ["conditions"] = Conditions,
            ["split"] = Split,
            ["agent_voice"] = Agent.Name,
            ["customer_voice"] = Customer.Name,
            ["agent_level_db"] = Math.Round(AgentLevelDb, 1),
            ["customer_level_db"] = Math.Round(CustomerLevelDb, 1),
            ["codec"] = Codec,
            ["band_limit"] = BandLimit ? "300-3400" : "none",
            ["noise"] = CustomerNoise,
        };
        if (CustomerSnrDb is double snr)
        {
            c["customer_snr_db"] = snr;
        }

        c["reverb"] = CustomerReverb;
        c["agent_reverb"] = AgentReverb;
        c["level_jumps"] = LevelJumps;
        c["agc"] = AgcPumping ? "pumping" : "none";
        c["clipping_db"] = ClipDb is double clip ? clip : "none";
        c["dtx"] = Dtx;
        c["agent_snr_db"] = Math.Round(AgentSnrDb, 1);
        c["neighbours"] = Neighbours;
        c["neighbour_db"] = Neighbours > 0 ? NeighbourDb : "none";
        c["keyboard_per_min"] = KeyboardBurstsPerMinute;
        c["breathing"] = Breathing ? "yes" : "no";
        c["echo_db"] = Math.Round(EchoDb, 1);
        c["echo_delay_ms"] = EchoDelayMs;
        c["hold"] = hadHold ? HoldKind : "none";
        c["dc_offset"] = (AgentDcOffset != 0, CustomerDcOffset != 0) switch
        {
            (true, true) => "both", (true, false) => "agent", (false, true) => "customer", _ => "none",
        };
        c["agent_dc_offset"] = AgentDcOffset;
        c["customer_dc_offset"] = CustomerDcOffset;
        if (babbleDb is double babble)
        {
            c["babble_db"] = Math.Round(babble, 1);
        }

        if (whiteNoiseDb is double white)
        {
            c["noise_db"] = Math.Round(white, 1);
        }

        return c;
    }

    private static double Uniform(Random rng, double min, double max) => min + (max - min) * rng.NextDouble();

    private static string Pick(Random rng, string[] values, params double[] weights)
    {
        double u = rng.NextDouble(), sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            if (u < sum)
            {
                return values[i];
            }
        }

        return values[^1];
    }
}
