using Kuulo.TestSupport;
using Microsoft.Data.Sqlite;

namespace Kuulo.Companion.Tests;

/// <summary>Direct access to a companion's SQLite file, to set up states the API cannot (an old database's rows).</summary>
internal static class Database
{
    public static async Task<int> ExecuteAsync(CompanionProcess companion, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(companion.DataDirectory, "kuulo.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }
}
