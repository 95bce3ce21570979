using System.Net.Http.Headers;
using System.Text;

namespace Kuulo.TestSupport;

/// <summary>
/// The companion as a real process (the build output of companion/Kuulo.Companion), configured through
/// environment variables the way an operator would, on free loopback ports.
/// </summary>
public sealed class CompanionProcess : IDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "admin-password";
    public const string SupervisorUser = "sam";
    public const string SupervisorPassword = "supervisor-password";
    public const string FacilitiesUser = "fay";
    public const string FacilitiesPassword = "facilities-password";

    private readonly Dictionary<string, string> _environment;
    private ExternalProcess? _process;

    private CompanionProcess(Dictionary<string, string> environment, int httpPort, int mqttPort, string dataDirectory)
    {
        _environment = environment;
        HttpPort = httpPort;
        MqttPort = mqttPort;
        DataDirectory = dataDirectory;
        Http = Client(AdminUser, AdminPassword);
    }

    public int HttpPort { get; }

    /// <summary>The embedded broker's port (unused with an external broker).</summary>
    public int MqttPort { get; }

    public string DataDirectory { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>An HTTP client signed in as admin.</summary>
    public HttpClient Http { get; }

    public string Output => _process?.Output ?? "";

    /// <summary>The operating system's id of the running companion, e.g. to read its memory from /proc.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("not started");

    /// <summary>The most resident memory the running companion process has had, in bytes.</summary>
    public long PeakResidentBytes() => _process?.PeakResidentBytes() ?? 0;

    /// <param name="settings">Extra configuration, e.g. ["Broker:Embedded"] = "false"; keys are below "Kuulo".</param>
    /// <param name="configureUsers">False: no Kuulo:Users, so the companion generates its own accounts.</param>
    public static async Task<CompanionProcess> StartAsync(IDictionary<string, string>? settings = null, string? dataDirectory = null,
        bool configureUsers = true)
    {
        dataDirectory ??= Directory.CreateTempSubdirectory("kuulo-companion-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Kuulo__DataDirectory"] = dataDirectory,
            [$"Kuulo__Users__{AdminUser}__Password"] = AdminPassword,
            [$"Kuulo__Users__{AdminUser}__Role"] = "admin",
            [$"Kuulo__Users__{SupervisorUser}__Password"] = SupervisorPassword,
            [$"Kuulo__Users__{SupervisorUser}__Role"] = "supervisor",
            [$"Kuulo__Users__{FacilitiesUser}__Password"] = FacilitiesPassword,
            [$"Kuulo__Users__{FacilitiesUser}__Role"] = "facilities",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Kuulo"] = "Information",
        };
        if (!configureUsers)
        {
            foreach (var key in environment.Keys.Where(k => k.StartsWith("Kuulo__Users__", StringComparison.Ordinal)).ToList())
            {
                environment.Remove(key);
            }
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment["Kuulo__" + key.Replace(":", "__")] = value;
        }

        // A test may point the companion at its own broker's port (an external broker); that one is kept.
        bool ownBrokerPort = !environment.ContainsKey("Kuulo__Broker__Port");
        for (int attempt = 1; ; attempt++)
        {
            int http = FreePort.Next();
            int mqtt;
            do
            {
                // Each probe's listener is closed again, so the system may hand out the same free port twice.
                mqtt = FreePort.Next();
            }
            while (mqtt == http);
            if (ownBrokerPort)
            {
                environment["Kuulo__Broker__Port"] = mqtt.ToString();
            }

            var companion = new CompanionProcess(environment, http, mqtt, dataDirectory);
            try
            {
                await companion.StartProcessAsync();
                return companion;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                // A probed port is free only until the probe closes it: another test assembly's server, running at the
                // same time, can bind it before the companion does. Other ports then.
                companion.Dispose();
            }
        }
    }

    public HttpClient Client(string user, string password)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    /// <summary>Kills the companion abruptly, like a crash.</summary>
    public void Kill() => _process?.Kill();

    public Task RestartAsync()
    {
        _process?.Dispose();
        return StartProcessAsync();
    }

    public void Dispose()
    {
        _process?.Dispose();
        Http.Dispose();
    }

    /// <summary>Runs the companion program as a command (e.g. --reset-password NAME) with this instance's settings.</summary>
    public string RunCommand(params string[] args)
    {
        using var command = ExternalProcess.Start("dotnet", new[] { Dll() }.Concat(args), _environment);
        int exit = command.WaitForExit(TimeSpan.FromSeconds(60));
        return exit == 0 ? command.Output : throw new InvalidOperationException($"kuulo-companion {string.Join(' ', args)} exited with {exit}:\n{command.Output}");
    }

    private static string Dll()
    {
        string dll = Path.Combine(RepoRoot(), "companion", "Kuulo.Companion", "bin", BuildConfiguration(), "net10.0", "kuulo-companion.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build companion/Kuulo.Companion first");
    }

    private async Task StartProcessAsync()
    {
        _process = ExternalProcess.Start("dotnet", new[] { Dll(), "--urls", BaseAddress.ToString() }, _environment);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        using var probe = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Waiting once more drains the output readers; without it the message could arrive after the throw.
                _process.WaitForExit(TimeSpan.FromSeconds(10));
                throw new InvalidOperationException("the companion exited during start-up:\n" + _process.Output);
            }

            try
            {
                if ((await probe.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the companion did not become healthy:\n" + _process.Output);
    }

    /// <summary>The folder holding Device.sln.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Device.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Device.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Debug or Release: whatever the running tests were built with.</summary>
    private static string BuildConfiguration() =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
}
