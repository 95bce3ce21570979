using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kuulo.Corpus;
using Kuulo.Desk.Unit;

// kuulo-demo [--units N] [--speed X] [--port P] [--mqtt-port P] [--data DIR]: starts the companion with its embedded
// MQTT broker (default 127.0.0.1:1883), SQLite and sign-in accounts in DIR (default ./kuulo-data) and the web on
// http://127.0.0.1:P (default 5080), and N host desk units playing labelled conversations built from recorded speech
// at X times real time (default 4; 1 is real time). Ctrl+C stops everything.
int units, webPort, mqttPort;
double speed;
string data;
try
{
    units = (int)Option("--units", 6, 1, 200);
    speed = Option("--speed", 4, 0.1, 100);
    webPort = (int)Option("--port", 5080, 1, 65535);
    mqttPort = (int)Option("--mqtt-port", 1883, 1, 65535);
    data = Path.GetFullPath(Text("--data", "kuulo-data"));
    // A port already taken would answer our health check for us (another companion): refuse to start instead.
    foreach (var (port, name, flag) in new[] { (webPort, "web", "--port"), (mqttPort, "MQTT", "--mqtt-port") })
    {
        if (!PortIsFree(port))
        {
            throw new ArgumentException($"the {name} port 127.0.0.1:{port} is already in use (another companion?); choose another with {flag}");
        }
    }
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("kuulo-demo: " + ex.Message);
    return 2;
}

Directory.CreateDirectory(data);

string conversations = Path.Combine(data, "demo-conversations");
if (!Directory.Exists(conversations) || Directory.GetFiles(conversations, "*.wav").Length == 0)
{
    Console.WriteLine("Building demo conversations from Debian's recorded prompts...");
    try
    {
        CorpusGenerator.Generate(conversations, 6, 2026);
    }
    catch (CorpusException ex)
    {
        Console.Error.WriteLine("kuulo-demo: " + ex.Message);
        return 2;
    }
}

// The companion keeps only password hashes, so the demo issues fresh passwords for its generated accounts on
// every start (the companion's --reset-password command) and shows them below.
var accounts = ResetPasswords(data);
using var companion = StartCompanion(data, webPort, mqttPort, speed);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

string web = $"http://127.0.0.1:{webPort}";
var http = new HttpClient { BaseAddress = new Uri(web) };
await WaitHealthyAsync(http, companion);
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{accounts["admin"]}")));

// The demo's desks sit in Tampere: their days are Finnish days.
(await http.PutAsJsonAsync("/api/sites/tampere", new { timeZone = "Europe/Helsinki" })).EnsureSuccessStatusCode();
var wavs = Directory.GetFiles(conversations, "*.wav").OrderBy(f => f).ToList();
var desks = new List<DeskUnit>();
string[] agents = { "aino", "eero", "helmi", "juho", "kaisa", "leevi", "minna", "onni" };
for (int i = 0; i < units; i++)
{
    string id = $"desk-{i + 1:D2}";
    string password = await ProvisionAsync(http, id, agents[i % agents.Length], i % 2 == 0 ? "blue" : "green");
    desks.Add(new DeskUnit(new UnitOptions
    {
        DeviceId = id, Password = password, Speed = speed, BrokerPort = mqttPort, DataDirectory = Path.Combine(data, "units", id),
        StatusInterval = TimeSpan.FromSeconds(10),
    }, PcmSource.Files(wavs, loop: true, startAt: i)));
}

Console.WriteLine($"""

    Kuulo demo: companion at {web} (MQTT broker 127.0.0.1:{mqttPort}), {units} desk units at {speed.ToString(System.Globalization.CultureInfo.InvariantCulture)}x real time{(speed > 1 ? " (the dashboard says so)" : "")}.
    Sign in with (new passwords on every demo start; the companion stores only their hashes):
      supervisor / {accounts["supervisor"]}
      facilities / {accounts["facilities"]}
      admin      / {accounts["admin"]}
    Try:  curl -u supervisor:{accounts["supervisor"]} '{web}/api/stats?by=agent&period=day'
    The first calls arrive within a minute. Ctrl+C stops the demo.

    """);
var running = Task.WhenAll(desks.Select(d => d.RunAsync(stop.Token)));
await UnitView.ShowAsync(desks, running, Console.Out, live: !Console.IsOutputRedirected);
foreach (var desk in desks)
{
    await desk.DisposeAsync();
}

return 0;

static ExternalCompanion StartCompanion(string data, int webPort, int mqttPort, double speed) =>
    new(Process.Start(CompanionCommand(data, webPort, mqttPort, speed)) ?? throw new InvalidOperationException("cannot start the companion"));

static Dictionary<string, string> ResetPasswords(string data)
{
    var info = CompanionCommand(data, 0, 0, 1, "--reset-password", "supervisor", "facilities", "admin");
    using var reset = Process.Start(info) ?? throw new InvalidOperationException("cannot run the companion");
    string output = reset.StandardOutput.ReadToEnd() + reset.StandardError.ReadToEnd();
    reset.WaitForExit();
    if (reset.ExitCode != 0)
    {
        throw new InvalidOperationException("issuing demo passwords failed:\n" + output);
    }

    // "  name (role): password" lines; when the accounts are new they are listed twice, and the last one counts.
    var passwords = new Dictionary<string, string>();
    foreach (Match m in Regex.Matches(output, @"^\s+(\S+) \(\w+\): (\S+)\s*$", RegexOptions.Multiline))
    {
        passwords[m.Groups[1].Value] = m.Groups[2].Value;
    }

    return passwords;
}

static ProcessStartInfo CompanionCommand(string data, int webPort, int mqttPort, double speed, params string[] args)
{
    string dll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Kuulo.Companion", "bin",
        AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug", "net10.0", "kuulo-companion.dll");
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add(Path.GetFullPath(dll));
    foreach (var arg in args)
    {
        info.ArgumentList.Add(arg);
    }

    if (webPort > 0)
    {
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{webPort}");
    }

    info.Environment["Kuulo__DataDirectory"] = data;
    info.Environment["Kuulo__Broker__Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
    info.Environment["Kuulo__ReplaySpeed"] = speed.ToString(System.Globalization.CultureInfo.InvariantCulture);
    return info;
}

static async Task WaitHealthyAsync(HttpClient http, ExternalCompanion companion)
{
    for (int i = 0; i < 300; i++)
    {
        if (companion.Process.HasExited)
        {
            // The parameterless wait drains the output readers, so the companion's own error is in the message.
            companion.Process.WaitForExit();
            throw new InvalidOperationException("the companion stopped during start-up:\n" + companion.Output);
        }

        try
        {
            if ((await http.GetAsync("/health")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(100);
    }

    throw new TimeoutException("the companion did not start:\n" + companion.Output);
}

static async Task<string> ProvisionAsync(HttpClient http, string id, string agent, string team)
{
    var created = await http.PostAsJsonAsync("/api/devices", new { id, site = "tampere", team, desk = id, agent });
    // Already registered by an earlier demo run: issue it fresh credentials instead.
    var response = created.StatusCode == System.Net.HttpStatusCode.Conflict ? await http.PostAsync($"/api/devices/{id}/credentials", null) : created;
    var body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"registering {id} failed: {body}");
    }

    return JsonDocument.Parse(body).RootElement.GetProperty("password").GetString()!;
}

// A number option (invariant culture: "--speed 1.5"); a value that is not a number in range is an error, not a default.
double Option(string name, double fallback, double min, double max)
{
    int i = Array.IndexOf(args, name);
    if (i < 0)
    {
        return fallback;
    }

    if (i + 1 < args.Length && double.TryParse(args[i + 1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)
        && v >= min && v <= max)
    {
        return v;
    }

    throw new ArgumentException($"{name} takes a number from {min} to {max} (got '{(i + 1 < args.Length ? args[i + 1] : "")}')");
}

string Text(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i < 0 ? fallback : i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} takes a value");
}

static bool PortIsFree(int port)
{
    try
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
        return true;
    }
    catch (System.Net.Sockets.SocketException)
    {
        return false;
    }
}

/// <summary>The companion child process; its output is kept for error messages and it stops with the demo.</summary>
sealed class ExternalCompanion : IDisposable
{
    private readonly StringBuilder _output = new();

    public ExternalCompanion(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }

    private void Keep(string? line)
    {
        lock (_output)
        {
            if (line != null && _output.Length < 100_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
