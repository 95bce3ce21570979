namespace Kuulo.TestSupport;

/// <summary>A real Mosquitto (Debian package mosquitto) on a free loopback port, with optional password and ACL files.</summary>
public sealed class MosquittoServer : IDisposable
{
    private readonly string _dir;
    private ExternalProcess? _process;

    private readonly int _maxQueuedMessages;
    private readonly int _autosaveSeconds;

    private MosquittoServer(string dir, int port, int maxQueuedMessages, int autosaveSeconds)
    {
        _dir = dir;
        Port = port;
        _maxQueuedMessages = maxQueuedMessages;
        _autosaveSeconds = autosaveSeconds;
    }

    public int Port { get; }

    public string Output => _process?.Output ?? "";

    /// <param name="passwordFile">Contents of a Mosquitto password file; null allows anonymous clients.</param>
    /// <param name="maxQueuedMessages">Per-session queue limit; 0 queues without limit (a drain benchmark's backlog).</param>
    /// <param name="autosaveSeconds">How often the persistence file is written; a million queued messages take a while to write.</param>
    public static async Task<MosquittoServer> StartAsync(string? passwordFile = null, string? aclFile = null, int? port = null,
        int maxQueuedMessages = 100_000, int autosaveSeconds = 1)
    {
        Require("/usr/sbin/mosquitto", "mosquitto");
        var server = new MosquittoServer(Directory.CreateTempSubdirectory("kuulo-mosquitto-").FullName, port ?? FreePort.Next(),
            maxQueuedMessages, autosaveSeconds);
        await server.StartProcessAsync(passwordFile, aclFile);
        return server;
    }

    /// <summary>Stops the broker (as an outage would) and starts it again on the same port.</summary>
    public void Stop() => _process?.Dispose();

    public Task RestartAsync() => StartProcessAsync(
        File.Exists(Path.Combine(_dir, "passwords")) ? File.ReadAllText(Path.Combine(_dir, "passwords")) : null,
        File.Exists(Path.Combine(_dir, "acl")) ? File.ReadAllText(Path.Combine(_dir, "acl")) : null);

    public void Dispose()
    {
        _process?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task StartProcessAsync(string? passwordFile, string? aclFile)
    {
        var config = new List<string>
        {
            $"listener {Port} 127.0.0.1",
            "user root",
            // Persist sessions and queued QoS 1 messages across a broker restart, as a production broker would.
            "persistence true",
            $"persistence_location {_dir}/",
            $"autosave_interval {_autosaveSeconds}",
            $"max_queued_messages {_maxQueuedMessages}",
            "message_size_limit 8192",
        };
        if (passwordFile != null)
        {
            File.WriteAllText(Path.Combine(_dir, "passwords"), passwordFile);
            config.Add("allow_anonymous false");
            config.Add($"password_file {_dir}/passwords");
        }
        else
        {
            config.Add("allow_anonymous true");
        }

        if (aclFile != null)
        {
            File.WriteAllText(Path.Combine(_dir, "acl"), aclFile);
            config.Add($"acl_file {_dir}/acl");
        }

        File.WriteAllLines(Path.Combine(_dir, "mosquitto.conf"), config);
        _process = ExternalProcess.Start("/usr/sbin/mosquitto", new[] { "-c", Path.Combine(_dir, "mosquitto.conf") });
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(10), () => _process.Output);
    }

    internal static void Require(string path, string package)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: install the Debian package '{package}' (.ci/run does)");
        }
    }
}
