using Kuulo.Corpus;
using Kuulo.Training;

namespace Kuulo.Desk.Tests;

/// <summary>The core's generated voice models are exactly what the training tool makes from the documented corpus.</summary>
public class VoiceModelTests
{
    private static readonly string CheckedIn = Path.Combine(
        Root(), "firmware", "Kuulo.Core", "Audio", "VoiceModel.g.cs");

    [Fact]
    public void RegeneratingTheVoiceModelsGivesTheCheckedInFile()
    {
        string corpus = Path.Combine(Path.GetTempPath(), "kuulo-train-" + Guid.NewGuid().ToString("N"));
        try
        {
            CorpusGenerator.Generate(corpus, Trainer.CorpusCount, Trainer.CorpusSeed, Knobs.Real, Trainer.CorpusSplit);
            string generated = new Trainer().Train(new[] { corpus }, Array.Empty<string>(), Trainer.CorpusCommand, TextWriter.Null);
            Assert.True(generated == File.ReadAllText(CheckedIn),
                "firmware/Kuulo.Core/Audio/VoiceModel.g.cs is not what kuulo-train makes from its corpus: regenerate it (tests/Kuulo.Training/README.md)");
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
