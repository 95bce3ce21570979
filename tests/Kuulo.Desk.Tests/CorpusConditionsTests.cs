using Kuulo.Corpus;

namespace Kuulo.Desk.Tests;

/// <summary>Each corpus condition does to the audio what the label file says it did; labels still come from the clips.</summary>
public sealed class CorpusConditionsTests(RealCorpusFixture corpus) : IClassFixture<RealCorpusFixture>
{
    private const int R = ClipLibrary.Rate;

    [Fact]
    public void ThePoolCoversEveryCondition()
    {
        foreach (var codec in Knobs.Codecs)
        {
            Assert.Contains(corpus.Conversations, c => Equals(c.Conditions["codec"], codec) && c.SampleRate == 8000);
        }

        foreach (var hold in Knobs.HoldKinds)
        {
            Assert.Contains(corpus.Conversations, c => Equals(c.Conditions["hold"], hold));
        }

        foreach (var split in Speakers.Splits)
        {
            Assert.Contains(corpus.Conversations, c => Equals(c.Conditions["split"], split));
        }

        Assert.Contains(corpus.Conversations, c => Equals(c.Conditions["reverb"], "dry"));
        Assert.Contains(corpus.Conversations, c => !Equals(c.Conditions["reverb"], "dry"));
    }

    [Fact]
    public void TheSplitIsSpeakerDisjointAndCoversEveryRecordedVoice()
    {
        // One person, one row: no folder belongs to two people, each person is on one side.
        var folders = Speakers.All.SelectMany(s => s.Folders).ToList();
        Assert.Equal(folders.Count, folders.Distinct().Count());
        Assert.Equal(Speakers.All.Length, Speakers.All.Select(s => s.Name).Distinct().Count());
        Assert.Single(Speakers.All, s => s.Folders.Contains("en_US_f_Allison") && s.Folders.Contains("es_MX_f_Allison"));
        foreach (var split in Speakers.Splits)
        {
            var side = Speakers.In(split);
            Assert.True(side.Length >= 3, $"{split} has {side.Length} speakers");
            Assert.True(side.SelectMany(s => s.Folders).Select(f => f[..2]).Distinct().Count() >= 3, $"{split} has fewer than three languages");
        }

        // Every folder of recorded prompts on this machine (not the alias links) is someone's.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint };
        foreach (var dir in new DirectoryInfo(ClipLibrary.SoundsRoot).GetDirectories())
        {
            bool hasAudio = dir.LinkTarget == null && dir.EnumerateFiles("*", options).Any(f => f.Extension is ".wav" or ".gsm");
            Assert.True(!hasAudio || folders.Contains(dir.Name), $"{dir.Name} holds recordings but is in no row of Speakers.All");
        }

        // Generated conversations use their side's voices only.
        foreach (var c in corpus.Conversations)
        {
            string split = (string)c.Conditions["split"];
            Assert.Equal(split, Speakers.Named((string)c.Conditions["agent_voice"]).Split);
            Assert.Equal(split, Speakers.Named((string)c.Conditions["customer_voice"]).Split);
            Assert.NotEqual(c.Conditions["agent_voice"], c.Conditions["customer_voice"]);
        }
    }

    [Fact]
    public void ASplitOnlyEverDrawsItsOwnSpeakers()
    {
        var heldout = Speakers.In(Speakers.Heldout).Select(s => s.Name).ToHashSet();
        for (int i = 0; i < 6; i++)
        {
            var knobs = new ConversationBuilder(corpus.Library, 1000 + i, Knobs.Real, Speakers.Heldout).Knobs;
            Assert.Contains(knobs.Agent.Name, heldout);
            Assert.Contains(knobs.Customer.Name, heldout);
        }
    }

    [Fact]
    public void CustomerSnrIsWhatTheLabelSays()
    {
        foreach (var c in corpus.Conversations)
        {
            double recorded = Convert.ToDouble(c.Conditions["customer_snr_db"]);
            var holds = c.Events.Where(e => e.Type == "hold").Select(e => (e.Start, End: e.End!.Value)).ToList();
            double speech = Rms(c.Stems.CustomerVoice, c.CustomerSpeech);
            double noise = Rms(c.Stems.CustomerNoise, Complement(holds, c.Stems.CustomerNoise.Length / (double)R));
            Assert.InRange(20 * Math.Log10(speech / noise), recorded - 1.5, recorded + 1.5);
        }
    }

    [Fact]
    public void AgentSnrIsWhatTheLabelSays()
    {
        foreach (var c in corpus.Conversations)
        {
            double snr = Dsp.ToDb(Rms(c.Stems.AgentVoice, c.AgentSpeech) / Dsp.Rms(c.Stems.AgentHum));
            Assert.InRange(snr, Convert.ToDouble(c.Conditions["agent_snr_db"]) - 1.5, Convert.ToDouble(c.Conditions["agent_snr_db"]) + 1.5);
        }
    }

    [Fact]
    public void TheCustomerEchoesIntoTheAgentMicAtTheRecordedDelay()
    {
        // Where the echo is strongest against the office, the agent channel follows the customer line best at
        // the recorded delay (the band-pass adds well under 1 ms). Agent speech and its tails are left out.
        var loud = corpus.Conversations.Where(c => c.SampleRate == 8000 && Convert.ToDouble(c.Conditions["echo_db"]) > -25).ToList();
        Assert.NotEmpty(loud);
        foreach (var c in loud)
        {
            var agent = Channel(c, 0);
            var line = c.Stems.CustomerLine;
            var quiet = Complement(c.AgentSpeech.Select(s => (s.Start - 0.1, s.End + 1.0)), agent.Length / (double)R)
                .SelectMany(s => Enumerable.Range((int)(s.Start * R), Math.Max(0, (int)((s.End - s.Start) * R)))).Where(i => i >= 800 && i < agent.Length).ToArray();
            int best = -1;
            double bestScore = double.MinValue;
            for (int lag = 0; lag <= 80 * R / 1000; lag++)
            {
                double sum = 0;
                for (int j = 0; j < quiet.Length; j += 3)
                {
                    sum += agent[quiet[j]] * line[quiet[j] - lag];
                }

                if (sum > bestScore)
                {
                    bestScore = sum;
                    best = lag;
                }
            }

            Assert.InRange(best * 1000.0 / R, Convert.ToDouble(c.Conditions["echo_delay_ms"]) - 1.5, Convert.ToDouble(c.Conditions["echo_delay_ms"]) + 1.5);
        }
    }

    [Fact]
    public void AChannelWithAnOffsetSitsOnIt()
    {
        // Speech and noise average out over a conversation, so a channel's mean is its drawn offset (within the few
        // steps a codec's silence adds); the channels drawn without one sit on zero, the prompts' own DC removed.
        var withOffset = corpus.Conversations.Where(c => !Equals(c.Conditions["dc_offset"], "none")).ToList();
        Assert.NotEmpty(withOffset);
        Assert.Contains(corpus.Conversations, c => Equals(c.Conditions["dc_offset"], "none"));
        foreach (var c in corpus.Conversations)
        {
            foreach (var (channel, key) in new[] { (0, "agent_dc_offset"), (1, "customer_dc_offset") })
            {
                double mean = Channel(c, channel).Average() * 32767;
                Assert.InRange(mean, Convert.ToInt32(c.Conditions[key]) - 20, Convert.ToInt32(c.Conditions[key]) + 20);
            }
        }
    }

    [Fact]
    public void ThePlainLineCarriesExactlyVoicePlusNoise()
    {
        // With nothing between room and file (PCM, no AGC, jumps, clipping or DTX), the file's customer channel is
        // the stems' sum outside holds, on the channel's drawn offset: the recorded SNR is the SNR in the file.
        var plain = corpus.Conversations.Where(c => Equals(c.Conditions["codec"], "pcm") && c.SampleRate == 8000
            && Equals(c.Conditions["agc"], "none") && Equals(c.Conditions["level_jumps"], 0) && Equals(c.Conditions["clipping_db"], "none")).ToList();
        Assert.NotEmpty(plain);
        foreach (var c in plain)
        {
            var line = Channel(c, 1);
            float offset = Convert.ToInt32(c.Conditions["customer_dc_offset"]) / 32767f;
            var holds = c.Events.Where(e => e.Type == "hold").ToList();
            double worst = 0;
            for (int i = 0; i < line.Length; i++)
            {
                double t = i / (double)R;
                if (holds.Any(h => t >= h.Start - 0.01 && t < h.End!.Value + 0.01))
                {
                    continue;
                }

                // The file clips at full scale, as an overloaded line would.
                float expected = Math.Clamp(c.Stems.CustomerVoice[i] + c.Stems.CustomerNoise[i] + offset, -1f, 1f);
                worst = Math.Max(worst, Math.Abs(line[i] - expected));
            }

            Assert.True(worst < 2.0 / 32768, $"customer channel differs from voice + noise by {worst}");
        }
    }

    [Fact]
    public void TelephoneLinesLoseTheBandAbove3400HzAndPcmKeepsIt()
    {
        // The top band's share of the voice band, on the line as it left the codec against voice + room noise
        // before the phone; holds (music that was never in the room) are left out.
        foreach (var c in corpus.Conversations)
        {
            var holds = c.Events.Where(e => e.Type == "hold").ToList();
            bool Open(int sample) => !holds.Any(h => sample >= (h.Start - 1) * R && sample < (h.End!.Value + 1) * R);
            var before = c.Stems.CustomerVoice.Zip(c.Stems.CustomerNoise, (v, n) => v + n).ToArray();
            double TopShare(float[] x) => BandEnergyDb(x, 3600, 4000, Open) - BandEnergyDb(x, 300, 3400, Open);
            double drop = TopShare(c.Stems.CustomerLine) - TopShare(before);
            string codec = (string)c.Conditions["codec"];
            if (Equals(c.Conditions["band_limit"], "300-3400"))
            {
                // On a G.711 line the top band holds only the codec's quantisation noise, about 38 dB under the
                // voice; unlimited lines here keep -8..-21 dB. GSM's decoder refills the band with its own noise
                // (-20..-31 dB), so it shows nothing about the filter: its lines take the same path as G.711's.
                double top = TopShare(c.Stems.CustomerLine);
                Assert.True(codec == "gsm" || top < -30, $"{codec}: the band above 3.6 kHz is {top:F1} dB re the voice band");
            }
            else
            {
                // Nothing removes it (clipping and AGC may add a little).
                Assert.True(drop > -3, $"{codec}: the band above 3.6 kHz lost {-drop:F1} dB on an unlimited line");
            }
        }
    }

    [Fact]
    public void G711LinesCarryOnlyCodecLevels()
    {
        foreach (var c in corpus.Conversations.Where(c => c.SampleRate == 8000))
        {
            int levels = Channel(c, 1).Select(x => (int)Math.Round(x * 32768)).Distinct().Count();
            if (c.Conditions["codec"] is "ulaw" or "alaw")
            {
                Assert.InRange(levels, 2, 256);
            }
            else
            {
                // More than the 256 codes a G.711 line can carry (a quiet line at -42 dBFS has only a few hundred).
                Assert.True(levels > 300, $"{c.Conditions["codec"]}: only {levels} distinct levels");
            }
        }
    }

    [Fact]
    public void GsmRoundTripChangesTheWaveButKeepsTheLevel()
    {
        var rng = new Random(3);
        var tone = new float[R * 2];
        for (int i = 0; i < tone.Length; i++)
        {
            tone[i] = (float)(0.1 * Math.Sin(2 * Math.PI * 440 * i / R) + 0.01 * (rng.NextDouble() - 0.5));
        }

        var gsm = Sox.RoundTrip(tone, "-t gsm");
        Assert.Equal(tone.Length, gsm.Length);
        double difference = Math.Sqrt(tone.Zip(gsm, (a, b) => (double)(a - b) * (a - b)).Average());
        Assert.True(difference > 0.002, "GSM left the signal untouched");
        Assert.InRange(Dsp.ToDb(Dsp.Rms(gsm) / Dsp.Rms(tone)), -3, 3);
    }

    [Fact]
    public void SpeechLabelsAreTheDryClipsAndReverbIsNotSpeech()
    {
        foreach (var c in corpus.Conversations)
        {
            var voice = c.Stems.CustomerVoice;
            double active = Rms(voice, c.CustomerSpeech);
            bool dry = Equals(c.Conditions["reverb"], "dry");
            // Outside labelled speech (and, with reverb, its tail of up to 3 s) the customer's voice stem is silent.
            var guard = c.CustomerSpeech.Select(s => (s.Start - 0.02, s.End + (dry ? 0.02 : 3))).ToList();
            double outside = Rms(voice, Complement(guard, voice.Length / (double)R));
            Assert.True(outside < active * Dsp.DbToAmplitude(dry ? -60 : -50), $"{c.Conditions["reverb"]}: voice outside its labels at {Dsp.ToDb(outside / active):F0} dB");
            if (!dry)
            {
                // ... and the reverb does leave a tail after the labels: it is there, but not speech.
                var tails = c.CustomerSpeech.Select(s => (s.End + 0.02, s.End + 0.25)).ToList();
                Assert.True(Rms(voice, tails) > active * 1e-3, "reverb left no tail");
            }
        }
    }

    [Fact]
    public void HoldsSoundLikeTheirKind()
    {
        foreach (var c in corpus.Conversations.Where(c => !Equals(c.Conditions["hold"], "none")))
        {
            var line = c.Stems.CustomerLine;
            var hold = c.Events.Single(e => e.Type == "hold");
            // The middle of the hold (fades aside); the customer's room noise level outside holds.
            double inside = Rms(line, new[] { (hold.Start + 0.1, hold.End!.Value - 1.1) });
            double noise = Rms(c.Stems.CustomerNoise, Complement(new List<(double, double)> { (hold.Start, hold.End.Value) }, line.Length / (double)R));
            Assert.DoesNotContain(c.CustomerSpeech, s => s.Start < hold.End.Value - 0.01 && s.End > hold.Start + 0.01);
            if (Equals(c.Conditions["hold"], "silence"))
            {
                Assert.True(inside < noise * Dsp.DbToAmplitude(-12), $"silent hold only {Dsp.ToDb(inside / noise):F1} dB under the noise");
            }
            else
            {
                double speech = Rms(c.Stems.CustomerVoice, c.CustomerSpeech);
                // Music 3-24 dB under the customer's level; announcements over it add a little.
                Assert.InRange(Dsp.ToDb(inside / speech), -28, 12);
            }
        }
    }

    [Fact]
    public void BackchannelsAreShortAndLabelledAsAgentSpeech()
    {
        foreach (var c in corpus.Conversations)
        {
            foreach (var bc in c.Events.Where(e => e.Type == "backchannel"))
            {
                Assert.InRange(bc.End!.Value - bc.Start, 0.199, 0.701);
                Assert.Contains(c.AgentSpeech, s => Math.Abs(s.Start - bc.Start) < 0.001 && Math.Abs(s.End - bc.End.Value) < 0.001);
            }
        }
    }

    [Fact]
    public void RealConditionsAreDeterministic()
    {
        var again = CorpusGenerator.Build(corpus.Library, RealCorpusFixture.Seed, 0, Knobs.Real);
        Assert.Equal(corpus.Conversations[0].Interleaved, again.Interleaved);
        Assert.Equal(corpus.Conversations[0].Conditions, again.Conditions);
    }

    private static float[] Channel(Conversation c, int channel)
    {
        var x = new float[c.Interleaved.Length / 2];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = c.Interleaved[2 * i + channel] / 32767f;
        }

        return x;
    }

    private static double Rms(float[] x, IEnumerable<(double Start, double End)> spans) => Dsp.Rms(x, spans);

    private static List<(double Start, double End)> Complement(IEnumerable<(double Start, double End)> spans, double length)
    {
        var result = new List<(double, double)>();
        double t = 0;
        foreach (var (s, e) in spans.OrderBy(s => s.Start))
        {
            if (s > t)
            {
                result.Add((t, s));
            }

            t = Math.Max(t, e);
        }

        result.Add((t, length));
        return result;
    }

    /// <summary>Mean energy (dB) in a frequency band over 256-sample frames, by a plain DFT of the band's bins.</summary>
    private static double BandEnergyDb(float[] x, double fromHz, double toHz, Func<int, bool> use)
    {
        const int N = 256;
        int k0 = (int)Math.Ceiling(fromHz * N / R), k1 = (int)Math.Floor(toHz * N / R);
        k1 = Math.Min(k1, N / 2 - 1);
        double total = 0;
        int frames = 0;
        for (int start = 0; start + N <= x.Length; start += N * 16)
        {
            if (!use(start))
            {
                continue;
            }

            for (int k = k0; k <= k1; k++)
            {
                double re = 0, im = 0;
                for (int i = 0; i < N; i++)
                {
                    double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / N);
                    re += x[start + i] * w * Math.Cos(2 * Math.PI * k * i / N);
                    im -= x[start + i] * w * Math.Sin(2 * Math.PI * k * i / N);
                }

                total += (re * re + im * im) / (k1 - k0 + 1);
            }

            frames++;
        }

        return 10 * Math.Log10(total / Math.Max(1, frames) + 1e-20);
    }
}
