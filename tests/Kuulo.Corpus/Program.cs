using Kuulo.Corpus;

// kuulo-corpus --out DIR [--count N] [--seed S] [--split tune|heldout] [--conditions clean|real|mixed]:
// builds N labelled conversations, deterministically for a seed.
const string Usage = "usage: kuulo-corpus --out DIR [--count N (default 24)] [--seed S (default 1)] " +
    "[--split tune|heldout (default: both)] [--conditions clean|real|mixed (default real)]";
string? output = null, split = null;
string mode = Knobs.Real;
int count = 24, seed = 1;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        case "--count" when i + 1 < args.Length && int.TryParse(args[i + 1], out count) && count > 0 && count <= 10_000: i++; break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out seed): i++; break;
        case "--split" when i + 1 < args.Length && Speakers.Splits.Contains(args[i + 1]): split = args[++i]; break;
        case "--split" when i + 1 < args.Length && args[i + 1] == "all": i++; break;
        case "--conditions" when i + 1 < args.Length && Knobs.Modes.Contains(args[i + 1]): mode = args[++i]; break;
        default:
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

if (output == null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

try
{
    var written = CorpusGenerator.Generate(output, count, seed, mode, split);
    Console.WriteLine($"{written.Count} conversations, {written.Sum(c => c.Seconds) / 60:F1} min of audio -> {output}");
    return 0;
}
catch (CorpusException ex)
{
    Console.Error.WriteLine("kuulo-corpus: " + ex.Message);
    return 2;
}
