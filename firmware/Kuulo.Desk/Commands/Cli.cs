using Kuulo.Desk.Audio;

namespace Kuulo.Desk.Commands;

/// <summary>Command-line plumbing: usage text, option parsing, and turning bad input into exit code 2.</summary>
public static class Cli
{
    public const int BadInput = 2;

    public static int Usage()
    {
        Console.Error.WriteLine("""
            usage: kuulo-desk <command> [options]

              analyze <in.wav> --out <name.events.json> [--config <desired.json>]
                  run the desk's detection over a two-channel WAV (left = agent, right = customer)
              eval <corpus-dir> [--config <desired.json>]
                  analyze every NAME.wav with its NAME.json labels and score it; the last line is the summary
              bench
                  the core's cost per second of audio and its allocations per frame
              run --device ID --password PW [--broker HOST:PORT] [--speed X] [--loop] [--tls] [--mqtt311] wav...
              run --credentials FILE [--units N] ... wav...       (FILE: one "id:password" per line)
              run --device ID --password PW --stdin --rate 8000|16000   (raw 16-bit stereo PCM on stdin)
                  desk units on the network: play conversations, show the LED, publish to the companion
            """);
        return BadInput;
    }

    /// <summary>Runs a command; input problems become one clear line on stderr and exit code 2.</summary>
    public static int Run(Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception ex) when (ex is UsageException or WavFormatException or FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("kuulo-desk: " + ex.Message);
            return BadInput;
        }
    }

    /// <summary>The value after <paramref name="name"/>, or null when absent.</summary>
    public static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return null;
        }

        if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"{name} needs a value");
        }

        return args[i + 1];
    }

    /// <summary>Arguments that are neither options nor option values.</summary>
    public static List<string> Positionals(string[] args, params string[] optionsWithValues)
    {
        var result = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (optionsWithValues.Contains(args[i]))
            {
                i++;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option {args[i]}");
            }
            else
            {
                result.Add(args[i]);
            }
        }

        return result;
    }

    /// <summary>A desired-configuration document (the companion's format) or the defaults.</summary>
    public static Kuulo.Core.Config.DeskConfig LoadConfig(string? path)
    {
        if (path == null)
        {
            return new Kuulo.Core.Config.DeskConfig();
        }

        var config = Kuulo.Core.Protocol.ConfigMessage.Parse(File.ReadAllText(path), out var error);
        return config ?? throw new UsageException($"{path}: configuration rejected: {error}");
    }
}

public sealed class UsageException(string message) : Exception(message);
