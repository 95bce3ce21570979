using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kuulo.Corpus;
using Kuulo.Desk.Unit;

// kuulo-demo [--units N] [--speed X]: starts the companion on its embedded defaults (MQTT broker on
// 127.0.0.1:1883, SQLite and sign-in accounts in ./kuulo-data, web on http://127.0.0.1:5080) and N host desk units
// playing labelled conversations built from recorded speech. Ctrl+C stops everything.
int units = Option("--units", 6);
double speed = Option("--speed", 4);
string data = Path.GetFullPath("kuulo-data");
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
using var companion = StartCompanion(data);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:5080") };
await WaitHealthyAsync(http, companion);
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{accounts["admin"]}")));

var wavs = Directory.GetFiles(conversations, "*.wav").OrderBy(f => f).ToList();
var desks = new List<DeskUnit>();
string[] agents = { "aino", "eero", "helmi", "juho", "kaisa", "leevi", "minna", "onni" };
for (int i = 0; i < units; i++)
{
    string id = $"desk-{i + 1:D2}";
    string password = await ProvisionAsync(http, id, agents[i % agents.Length], i % 2 == 0 ? "blue" : "green");
    desks.Add(new DeskUnit(new UnitOptions
    {
        DeviceId = id, Password = password, Speed = speed, DataDirectory = Path.Combine(data, "units", id),
        StatusInterval = TimeSpan.FromSeconds(10),
    }, PcmSource.Files(wavs, loop: true, startAt: i)));
}

Console.WriteLine($"""

    Kuulo demo: companion at http://127.0.0.1:5080 (MQTT broker 127.0.0.1:1883), {units} desk units at {speed}x speed.
    Sign in with (new passwords on every demo start; the companion stores only their hashes):
      supervisor / {accounts["supervisor"]}
      facilities / {accounts["facilities"]}
      admin      / {accounts["admin"]}
    Try:  curl -u supervisor:{accounts["supervisor"]} 'http://127.0.0.1:5080/api/stats?by=agent&period=day'
    The first calls arrive within a minute. Ctrl+C stops the demo.

    """);
var running = Task.WhenAll(desks.Select(d => d.RunAsync(stop.Token)));
await UnitView.ShowAsync(desks, running, Console.Out, live: !Console.IsOutputRedirected);
foreach (var desk in desks)
{
    await desk.DisposeAsync();
}

return 0;

static ExternalCompanion StartCompanion(string data) =>
    new(Process.Start(CompanionCommand(data)) ?? throw new InvalidOperationException("cannot start the companion"));

static Dictionary<string, string> ResetPasswords(string data)
{
    var info = CompanionCommand(data, "--reset-password", "supervisor", "facilities", "admin");
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

static ProcessStartInfo CompanionCommand(string data, params string[] args)
{
    string dll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Kuulo.Companion", "bin",
        AppContext.BaseDirectory.Contains("/Release/") ? "Release" : "Debug", "net10.0", "kuulo-companion.dll");
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    info.ArgumentList.Add(Path.GetFullPath(dll));
    foreach (var arg in args)
    {
        info.ArgumentList.Add(arg);
    }

    info.Environment["Kuulo__DataDirectory"] = data;
    return info;
}

static async Task WaitHealthyAsync(HttpClient http, ExternalCompanion companion)
{
    for (int i = 0; i < 300; i++)
    {
        if (companion.Process.HasExited)
        {
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

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) && v > 0 ? v : fallback;
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
