using Kuulo.Corpus;

namespace Kuulo.Desk.Tests;

/// <summary>
/// A small corpus generated once for the test run from the installed Asterisk prompt packages, in the studio-like
/// <c>clean</c> conditions: the regression floor of the engine is held there.
/// </summary>
public sealed class CorpusFixture : IDisposable
{
    public const int Count = 6;
    public const int Seed = 7;
    public const string Mode = Knobs.Clean;

    public CorpusFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("kuulo-corpus-").FullName;
        CorpusGenerator.Generate(Directory, Count, Seed, Mode);
    }

    public string Directory { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
