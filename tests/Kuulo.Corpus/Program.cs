using Kuulo.Corpus;

// kuulo-corpus --out DIR [--count N] [--seed S]: builds N labelled conversations, deterministically for a seed.
string? output = null;
int count = 24, seed = 1;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        case "--count" when i + 1 < args.Length && int.TryParse(args[i + 1], out count) && count > 0: i++; break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out seed): i++; break;
        default:
            Console.Error.WriteLine("usage: kuulo-corpus --out DIR [--count N (default 24)] [--seed S (default 1)]");
            return 2;
    }
}

if (output == null)
{
    Console.Error.WriteLine("usage: kuulo-corpus --out DIR [--count N (default 24)] [--seed S (default 1)]");
    return 2;
}

try
{
    var written = CorpusGenerator.Generate(output, count, seed);
    Console.WriteLine($"{written.Count} conversations, {written.Sum(c => c.Seconds) / 60:F1} min of audio -> {output}");
    return 0;
}
catch (CorpusException ex)
{
    Console.Error.WriteLine("kuulo-corpus: " + ex.Message);
    return 2;
}
