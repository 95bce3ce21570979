using Kuulo.Corpus;
using Kuulo.Desk.Evaluation;

namespace Kuulo.Desk.Tests;

public sealed class CorpusTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    [Fact]
    public void SameSeedSameBytes()
    {
        var again = Directory.CreateTempSubdirectory("kuulo-corpus-again-").FullName;
        try
        {
            CorpusGenerator.Generate(again, 2, CorpusFixture.Seed, CorpusFixture.Mode);
            foreach (var file in Directory.GetFiles(again))
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(corpus.Directory, Path.GetFileName(file))), File.ReadAllBytes(file));
            }
        }
        finally
        {
            Directory.Delete(again, recursive: true);
        }
    }

    [Fact]
    public void LabelsAreWellFormed()
    {
        foreach (var json in Directory.GetFiles(corpus.Directory, "*.json"))
        {
            var labels = Labels.Load(json);
            foreach (var speech in new[] { labels.AgentSpeech, labels.CustomerSpeech })
            {
                for (int i = 0; i < speech.Count; i++)
                {
                    Assert.True(speech[i].Start < speech[i].End, $"{json}: empty segment {i}");
                    Assert.True(i == 0 || speech[i - 1].End <= speech[i].Start, $"{json}: segments {i - 1} and {i} overlap");
                    Assert.InRange(speech[i].End, 0, labels.DurationSeconds);
                }
            }

            Assert.All(labels.Events, e => Assert.InRange(e.Start, 0, labels.DurationSeconds));
            Assert.NotEmpty(labels.Of("interruption"));
            Assert.NotEmpty(labels.Of("backchannel"));
        }
    }

    [Fact]
    public void SpeechLabelsMarkWhereTheVoiceIs()
    {
        // Inside labelled agent speech the agent channel is loud; well outside any speech it is near the floor.
        var wav = Directory.GetFiles(corpus.Directory, "*.wav").First();
        var labels = Labels.Load(Path.ChangeExtension(wav, ".json"));
        using var reader = Audio.WavReader.Open(wav);
        var all = new short[reader.Frames * 2];
        reader.Read(all);
        double Power(double start, double end)
        {
            int a = (int)(start * reader.SampleRate), b = (int)(end * reader.SampleRate);
            double sum = 0;
            for (int i = a; i < b; i++)
            {
                sum += (double)all[2 * i] * all[2 * i];
            }

            return sum / Math.Max(1, b - a);
        }

        var longest = labels.AgentSpeech.OrderByDescending(s => s.End - s.Start).First();
        var dead = labels.Of("dead_air").FirstOrDefault();
        double speech = Power(longest.Start, longest.End);
        Assert.True(speech > 1e5, $"labelled agent speech at {longest.Start:F2} is nearly silent");
        if (dead != null)
        {
            Assert.True(Power(dead.Start + 0.5, dead.End - 0.5) * 30 < speech, "dead air is not much quieter than speech");
        }
    }

    [Fact]
    public void EvalEndsWithTheSummaryLineAndMeetsAFloor()
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = Commands.EvalCommand.Run(new[] { corpus.Directory });
        }
        finally
        {
            Console.SetOut(console);
        }

        Assert.Equal(0, code);
        var lines = output.ToString().TrimEnd().Split('\n');
        var summary = lines[^1].Trim();
        Assert.Matches(@"^interruption_f1=\d\.\d{3} dead_air_f1=\d\.\d{3} backchannel_alert_rate=\d\.\d{3} false_alerts_per_hour=\d+\.\d latency_median_s=-?\d+\.\d{2} vad_f1_agent=\d\.\d{3} vad_f1_customer=\d\.\d{3}$", summary);
        Assert.StartsWith("baseline", lines[^2]);

        // The breakdown reads the generated conditions: all six clean conversations sit in one codec and SNR bucket.
        Assert.Contains(lines, l => l.StartsWith("hold suppression: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^codec=pcm\s+6\s"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^snr=clean\s+6\s"));
        Assert.Contains(lines, l => l.StartsWith("worst bucket at >= 5 dB customer SNR (6 conversations): interruption_f1=", StringComparison.Ordinal));

        // A regression floor well under the benchmark targets (these are 6 short conversations, not the corpus).
        var values = summary.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(values["interruption_f1"] >= 0.7, summary);
        Assert.True(values["vad_f1_agent"] >= 0.85, summary);
        Assert.True(values["vad_f1_customer"] >= 0.85, summary);
        Assert.True(values["backchannel_alert_rate"] <= 0.25, summary);
    }

    [Fact]
    public void ADcOffsetOnEitherChannelChangesNoDecision()
    {
        // Many ADCs and some recordings carry a constant offset; it is no sound, so the desk must hear the same call.
        var wav = Directory.GetFiles(corpus.Directory, "*.wav").First();
        var shifted = Path.Combine(Path.GetTempPath(), $"kuulo-{Guid.NewGuid():N}.wav");
        try
        {
            int rate;
            short[] samples;
            using (var reader = Audio.WavReader.Open(wav))
            {
                rate = reader.SampleRate;
                samples = new short[(int)reader.Frames * 2];
                reader.Read(samples);
            }

            for (int i = 0; i < samples.Length; i++)
            {
                samples[i] = (short)Math.Clamp(samples[i] + (i % 2 == 0 ? 300 : -250), short.MinValue, short.MaxValue);
            }

            CorpusWriter.WriteWav(shifted, samples, rate);
            var plain = ConversationAnalyzer.Analyze(wav);
            var offset = ConversationAnalyzer.Analyze(shifted);
            Assert.NotEmpty(plain.LabelledEvents);
            Assert.Equal(plain.LabelledEvents, offset.LabelledEvents);
            Assert.Equal(plain.AgentFrames, offset.AgentFrames);
            Assert.Equal(plain.CustomerFrames, offset.CustomerFrames);
        }
        finally
        {
            File.Delete(shifted);
        }
    }

    [Fact]
    public void AnalyzeWritesTheEventsFile()
    {
        var wav = Directory.GetFiles(corpus.Directory, "*.wav").First();
        var output = Path.Combine(Path.GetTempPath(), $"kuulo-{Guid.NewGuid():N}.events.json");
        try
        {
            Assert.Equal(0, Commands.AnalyzeCommand.Run(new[] { wav, "--out", output }));
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(output));
            var frames = doc.RootElement.GetProperty("frames");
            Assert.Equal(20, frames.GetProperty("frame_ms").GetInt32());
            Assert.Equal(frames.GetProperty("agent").GetArrayLength(), frames.GetProperty("customer").GetArrayLength());
            Assert.All(doc.RootElement.GetProperty("events").EnumerateArray(), e => Assert.True(e.GetProperty("t").GetDouble() >= 0));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void BadInputExitsWithTwoAndSaysWhy()
    {
        var junk = Path.Combine(Path.GetTempPath(), $"kuulo-{Guid.NewGuid():N}.wav");
        File.WriteAllText(junk, "this is not a wav file, only text");
        var error = new StringWriter();
        var stderr = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, Commands.Cli.Run(() => Commands.AnalyzeCommand.Run(new[] { junk, "--out", junk + ".json" })));
            Assert.Equal(2, Commands.Cli.Run(() => Commands.AnalyzeCommand.Run(new[] { junk })));
        }
        finally
        {
            Console.SetError(stderr);
            File.Delete(junk);
        }

        Assert.Contains("not a RIFF/WAVE file", error.ToString());
        Assert.Contains("analyze needs --out", error.ToString());
    }
}
