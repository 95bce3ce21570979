using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kuulo.Companion.Storage;

/// <summary>The few places SQLite and PostgreSQL differ; everything else is shared SQL.</summary>
public sealed class SqlDialect
{
    private readonly Func<DbConnection> _connect;

    private SqlDialect(string name, Func<DbConnection> connect, string identity, string text)
    {
        Name = name;
        _connect = connect;
        Identity = identity;
        Text = text;
    }

    public string Name { get; }

    /// <summary>An auto-numbered primary key column type.</summary>
    public string Identity { get; }

    /// <summary>The unbounded text type.</summary>
    public string Text { get; }

    public bool IsSqlite => Name == "sqlite";

    public static SqlDialect Sqlite(string connectionString) =>
        new("sqlite", () => new SqliteConnection(connectionString), "INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT");

    public static SqlDialect Postgres(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return new("postgres", () => dataSource.CreateConnection(), "BIGSERIAL PRIMARY KEY", "TEXT");
    }

    public async Task<DbConnection> OpenAsync()
    {
        var connection = _connect();
        await connection.OpenAsync();
        if (IsSqlite)
        {
            // WAL lets the API read while ingestion writes; NORMAL sync is durable across process crashes.
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
            await pragma.ExecuteNonQueryAsync();
        }

        return connection;
    }
}
