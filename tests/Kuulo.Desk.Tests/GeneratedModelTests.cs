using Kuulo.Core.Audio;
using Kuulo.Corpus;
using Kuulo.Training;

namespace Kuulo.Desk.Tests;

/// <summary>The core's generated models are exactly what the training tool makes from the documented corpus.</summary>
public class GeneratedModelTests
{
    private static readonly string Core = Path.Combine(Root(), "firmware", "Kuulo.Core");

    [Fact]
    public void RegeneratingTheModelsGivesTheCheckedInFiles()
    {
        string corpus = Path.Combine(Path.GetTempPath(), "kuulo-train-" + Guid.NewGuid().ToString("N"));
        try
        {
            CorpusGenerator.Generate(corpus, Trainer.CorpusCount, Trainer.CorpusSeed, Knobs.Real, Trainer.CorpusSplit);
            var models = new Trainer().Train(new[] { corpus }, Array.Empty<string>(), Trainer.CorpusCommand, TextWriter.Null);
            foreach (var (path, generated) in models.Files)
            {
                Assert.True(generated == File.ReadAllText(Path.Combine(Core, path)),
                    $"firmware/Kuulo.Core/{path} is not what kuulo-train makes from its corpus: regenerate it (tests/Kuulo.Training/README.md)");
            }

            // The judges were trained on the engine's decisions with the trainer's copy of the voice models:
            // that copy must score every frame exactly as the generated code does.
            var conversations = Directory.GetFiles(corpus, "*.wav").Order(StringComparer.Ordinal).Take(2).ToArray();

            foreach (var (channel, net, generatedModel) in new (int, Network, IFrameClassifier)[]
                     { (0, models.Agent, new AgentVoiceModel()), (1, models.Customer, new CustomerVoiceModel()) })
            {
                var copy = new GeneratedClassifier(net);
                var frames = FrameSet.LoadFiles(conversations, channel, 20).Features;
                Assert.All(frames, f => Assert.Equal(generatedModel.Score(f), copy.Score(f)));
            }
        }
        finally
        {
            Directory.Delete(corpus, recursive: true);
        }
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "Device.sln")))
        {
            dir = dir.Parent ?? throw new InvalidOperationException("Device.sln not found above " + AppContext.BaseDirectory);
        }

        return dir.FullName;
    }
}
