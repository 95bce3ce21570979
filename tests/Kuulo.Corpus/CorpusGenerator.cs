namespace Kuulo.Corpus;

/// <summary>Builds a whole corpus: conversation i of seed s is always the same, whatever else is generated.</summary>
public static class CorpusGenerator
{
    public static List<(string Name, double Seconds)> Generate(string directory, int count, int seed)
    {
        var library = ClipLibrary.Load();
        var written = new List<(string, double)>();
        for (int i = 0; i < count; i++)
        {
            string name = $"conv{seed:D2}-{i:D3}";
            var conversation = new ConversationBuilder(library, seed * 100_003 + i).Build();
            CorpusWriter.Write(conversation, directory, name);
            written.Add((name, conversation.DurationSeconds));
        }

        return written;
    }
}
