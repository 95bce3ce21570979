namespace Kuulo.Corpus;

/// <summary>
/// Builds a whole corpus: conversation i of a seed, mode and split is always the same, whatever else is generated
/// and however many run in parallel.
/// </summary>
public static class CorpusGenerator
{
    /// <param name="mode">clean, real (default) or mixed: <see cref="Knobs.Modes"/>.</param>
    /// <param name="split">tune or heldout speakers only; null for both (each conversation draws one side).</param>
    public static List<(string Name, double Seconds)> Generate(string directory, int count, int seed, string mode = Knobs.Real, string? split = null)
    {
        if (!Knobs.Modes.Contains(mode))
        {
            throw new CorpusException($"conditions must be one of {string.Join(", ", Knobs.Modes)} (got {mode})");
        }

        if (split != null && !Speakers.Splits.Contains(split))
        {
            throw new CorpusException($"split must be one of {string.Join(", ", Speakers.Splits)} (got {split})");
        }

        var library = ClipLibrary.Load(split == null ? Speakers.All : Speakers.In(split));
        var written = new (string, double)[count];
        string prefix = split ?? "conv";
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            string name = $"{prefix}{seed:D2}-{i:D3}";
            var conversation = Build(library, seed, i, mode, split);
            CorpusWriter.Write(conversation, directory, name);
            written[i] = (name, conversation.DurationSeconds);
        });

        return written.ToList();
    }

    /// <summary>Conversation <paramref name="index"/> of a corpus, in memory.</summary>
    public static Conversation Build(ClipLibrary library, int seed, int index, string mode = Knobs.Real, string? split = null) =>
        new ConversationBuilder(library, unchecked(seed * 100_003 + index), mode, split).Build();
}
