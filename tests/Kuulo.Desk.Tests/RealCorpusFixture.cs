using Kuulo.Corpus;

namespace Kuulo.Desk.Tests;

/// <summary>
/// Realistic-condition conversations built once in memory (with their stems) for the tests that check each
/// condition does to the audio what its recorded value says. The seed is one whose draws cover every codec, both
/// splits and every hold kind, which <see cref="CorpusConditionsTests.ThePoolCoversEveryCondition"/> checks.
/// </summary>
public sealed class RealCorpusFixture
{
    public const int Count = 24;
    public const int Seed = 11;

    public RealCorpusFixture()
    {
        Library = ClipLibrary.Load();
        var built = new Conversation[Count];
        Parallel.For(0, Count, i => built[i] = CorpusGenerator.Build(Library, Seed, i, Knobs.Real));
        Conversations = built;
    }

    public ClipLibrary Library { get; }
    public IReadOnlyList<Conversation> Conversations { get; }

    public IEnumerable<Conversation> Where(string key, object value) =>
        Conversations.Where(c => c.Conditions.TryGetValue(key, out var v) && Equals(v, value));
}
