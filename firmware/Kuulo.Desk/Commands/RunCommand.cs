using System.Globalization;
using Kuulo.Desk.Unit;

namespace Kuulo.Desk.Commands;

/// <summary>
/// <c>kuulo-desk run</c>: one or more host desk units on the network.
/// <code>
/// kuulo-desk run --device desk-01 --password PW [--broker 127.0.0.1:1883] [--speed 1] [--loop] a.wav b.wav
/// kuulo-desk run --credentials units.txt [--units N] ... wavs   (units.txt: one "id:password" per line)
/// sox in.wav -t raw - | kuulo-desk run --device desk-01 --password PW --stdin --rate 8000
/// firmware updates: --firmware-key BASE64-SPKI --companion http://127.0.0.1:5080 [--firmware VERSION] [--simulate-failed-boot]
/// </code>
/// </summary>
public static class RunCommand
{
    private static readonly string[] WithValues = { "--device", "--password", "--credentials", "--units", "--broker", "--speed", "--data-dir", "--rate", "--queue", "--firmware-key", "--companion", "--firmware" };

    public static int Run(string[] args)
    {
        var wavs = Cli.Positionals(args.Where(a => a is not ("--loop" or "--tls" or "--stdin" or "--mqtt311" or "--simulate-failed-boot")).ToArray(), WithValues);
        var credentials = Credentials(args);
        var (host, port) = Broker(Cli.Option(args, "--broker") ?? "127.0.0.1:1883");
        double speed = Number(args, "--speed", 1);
        bool stdin = args.Contains("--stdin");
        if (!stdin && wavs.Count == 0)
        {
            throw new UsageException("run needs WAV files to play, or --stdin with --rate");
        }

        if (stdin && credentials.Count != 1)
        {
            throw new UsageException("--stdin feeds one unit");
        }

        string dataRoot = Cli.Option(args, "--data-dir") ?? Path.Combine(Path.GetTempPath(), "kuulo-desk");
        var units = credentials.Select((c, i) => new DeskUnit(new UnitOptions
        {
            DeviceId = c.Id, Password = c.Password, BrokerHost = host, BrokerPort = port, Speed = speed, Tls = args.Contains("--tls"),
            Mqtt311 = args.Contains("--mqtt311"), DataDirectory = Path.Combine(dataRoot, c.Id),
            QueueCapacity = (int)Number(args, "--queue", 500),
            FirmwareKey = Cli.Option(args, "--firmware-key"), CompanionUrl = Cli.Option(args, "--companion"),
            SimulateFailedBoot = args.Contains("--simulate-failed-boot"),
            Firmware = Cli.Option(args, "--firmware") ?? UnitOptions.BuiltFirmware,
        }, stdin ? PcmSource.Raw(Console.OpenStandardInput(), (int)Number(args, "--rate", 8000)) : PcmSource.Files(wavs, args.Contains("--loop"), i))).ToList();

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        var running = Task.WhenAll(units.Select(u => u.RunAsync(stop.Token)));
        UnitView.ShowAsync(units, running, Console.Out, live: !Console.IsOutputRedirected).GetAwaiter().GetResult();
        try
        {
            running.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var unit in units)
        {
            unit.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        return 0;
    }

    private static List<(string Id, string Password)> Credentials(string[] args)
    {
        string? file = Cli.Option(args, "--credentials");
        string? device = Cli.Option(args, "--device");
        if (file != null)
        {
            var all = File.ReadAllLines(file).Where(l => l.Contains(':')).Select(l => (l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..])).ToList();
            int count = (int)Number(args, "--units", all.Count);
            if (count > all.Count)
            {
                throw new UsageException($"--units {count} but {file} has credentials for {all.Count}");
            }

            return all.Take(count).ToList();
        }

        if (device == null)
        {
            throw new UsageException("run needs --device ID --password PW, or --credentials FILE");
        }

        return new() { (device, Cli.Option(args, "--password") ?? throw new UsageException("--device needs --password")) };
    }

    private static (string Host, int Port) Broker(string value)
    {
        int colon = value.LastIndexOf(':');
        return colon > 0 && int.TryParse(value[(colon + 1)..], out int port) ? (value[..colon], port) : (value, 1883);
    }

    private static double Number(string[] args, string name, double fallback)
    {
        string? text = Cli.Option(args, name);
        if (text == null)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0
            ? value
            : throw new UsageException($"{name} needs a non-negative number (got '{text}')");
    }
}
