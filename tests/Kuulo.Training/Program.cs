using Kuulo.Training;

// kuulo-train --train DIR... [--validate DIR...] --out CORE_DIR [--corpus "how DIR was made"] [--seed S] [--hidden H] [--epochs E]
// writes CORE_DIR/Audio/VoiceModel.g.cs, CORE_DIR/Turns/InterruptionModel.g.cs and CORE_DIR/Turns/DeadAirModel.g.cs
// (CORE_DIR: firmware/Kuulo.Core).
var train = new List<string>();
var validate = new List<string>();
string? output = null;
string corpus = Trainer.CorpusCommand;
int seed = 1, hidden = 10, epochs = 12;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--train" when i + 1 < args.Length: train.Add(args[++i]); break;
        case "--validate" when i + 1 < args.Length: validate.Add(args[++i]); break;
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        case "--corpus" when i + 1 < args.Length: corpus = args[++i]; break;
        case "--seed" when i + 1 < args.Length && int.TryParse(args[i + 1], out seed): i++; break;
        case "--hidden" when i + 1 < args.Length && int.TryParse(args[i + 1], out hidden) && hidden > 0: i++; break;
        case "--epochs" when i + 1 < args.Length && int.TryParse(args[i + 1], out epochs) && epochs > 0: i++; break;
        default: return Usage();
    }
}

if (train.Count == 0 || output == null)
{
    return Usage();
}

foreach (var dir in train.Concat(validate).Where(d => !Directory.Exists(d)))
{
    Console.Error.WriteLine($"kuulo-train: {dir}: no such directory");
    return 2;
}

var trainer = new Trainer { Seed = seed, Hidden = hidden, Epochs = epochs };
var models = trainer.Train(train, validate, corpus, Console.Out);
foreach (var (path, text) in models.Files)
{
    string file = Path.Combine(output, path);
    Directory.CreateDirectory(Path.GetDirectoryName(file)!);
    File.WriteAllText(file, text);
    Console.WriteLine("wrote " + file);
}

return 0;

static int Usage()
{
    Console.Error.WriteLine("usage: kuulo-train --train DIR [--train DIR...] [--validate DIR...] --out CORE_DIR [--corpus TEXT] [--seed S] [--hidden H] [--epochs E]");
    return 2;
}
