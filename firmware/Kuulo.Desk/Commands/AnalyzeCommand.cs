using Kuulo.Desk.Evaluation;

namespace Kuulo.Desk.Commands;

/// <summary><c>kuulo-desk analyze in.wav --out name.events.json</c></summary>
public static class AnalyzeCommand
{
    public static int Run(string[] args)
    {
        var files = Cli.Positionals(args, "--out", "--config");
        string output = Cli.Option(args, "--out") ?? throw new UsageException("analyze needs --out <name.events.json>");
        if (files.Count != 1)
        {
            throw new UsageException("analyze takes exactly one WAV file");
        }

        var analysis = ConversationAnalyzer.Analyze(files[0], Cli.LoadConfig(Cli.Option(args, "--config")));
        using (var stream = File.Create(output))
        {
            analysis.WriteEventsJson(stream);
        }

        int events = analysis.LabelledEvents.Count();
        Console.WriteLine($"{files[0]}: {events} events, {analysis.Calls.Count} call(s), {analysis.AgentFrames.Count} frames -> {output}");
        return 0;
    }
}
