using Npgsql;

namespace Kuulo.TestSupport;

/// <summary>
/// A real PostgreSQL (Debian package postgresql) in a temporary cluster on a free loopback port. As root the
/// cluster runs as the 'postgres' user, as PostgreSQL refuses to run as root.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private readonly string? _user;

    private PostgresServer(string dir, string bin, int port, string? user)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
        _user = user;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        string bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb"))) ?? ""
            : "";
        MosquittoServer.Require(Path.Combine(bin, "initdb"), "postgresql");
        string? user = Environment.UserName == "root" ? "postgres" : null;
        string dir = Path.Combine(Path.GetTempPath(), "kuulo-pg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        if (user != null)
        {
            ExternalProcess.Run("chown", new[] { user, dir });
        }

        var server = new PostgresServer(dir, bin, FreePort.Next(), user);
        ExternalProcess.Run(Path.Combine(bin, "initdb"), new[] { "-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "postgres", "--no-sync" }, user);
        ExternalProcess.Run(Path.Combine(bin, "pg_ctl"), new[]
        {
            "-D", Path.Combine(dir, "data"), "-w", "-l", Path.Combine(dir, "log"),
            "-o", $"-p {server.Port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            "start",
        }, user);
        await FreePort.WaitUntilListeningAsync(server.Port, TimeSpan.FromSeconds(30), () => File.ReadAllText(Path.Combine(dir, "log")));
        return server;
    }

    /// <summary>A new, empty database and its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "kuulo_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=50";
    }

    public void Dispose()
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            ExternalProcess.Run(Path.Combine(_bin, "pg_ctl"), new[] { "-D", Path.Combine(_dir, "data"), "-m", "immediate", "stop" }, _user);
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
