using System.Data.Common;

namespace Kuulo.Companion.Storage;

/// <summary>Writes many rows in one go, the way each database does it fastest.</summary>
internal static class BulkInsert
{
    /// <summary>
    /// Inserts <paramref name="rows"/> into <paramref name="table"/> with <paramref name="conflict"/> (an ON CONFLICT
    /// clause) and answers which rows were new, when <paramref name="keyed"/> says the table's first two columns
    /// are its key (device_id, seq); otherwise answers null.
    /// </summary>
    public static Task<bool[]?> RunAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, string table, string[] columns,
        List<object[]> rows, string conflict, bool keyed = false)
    {
        if (rows.Count == 0)
        {
            return Task.FromResult<bool[]?>(keyed ? Array.Empty<bool>() : null);
        }

        return dialect.IsSqlite
            ? RowByRowAsync(connection, tx, table, columns, rows, conflict, keyed)
            : ColumnArraysAsync(connection, tx, table, columns, rows, conflict, keyed);
    }

    /// <summary>
    /// SQLite runs in-process, so one prepared statement per row costs microseconds; its parameter binding by name
    /// makes very wide multi-row statements slow instead.
    /// </summary>
    private static async Task<bool[]?> RowByRowAsync(DbConnection connection, DbTransaction tx, string table, string[] columns,
        List<object[]> rows, string conflict, bool keyed)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {table} ({string.Join(",", columns)}) VALUES ({string.Join(",", columns.Select((_, i) => "@p" + i))}) {conflict}";
        for (int c = 0; c < columns.Length; c++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + c;
            command.Parameters.Add(p);
        }

        command.Prepare();
        var inserted = new bool[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            for (int c = 0; c < columns.Length; c++)
            {
                command.Parameters[c].Value = rows[r][c];
            }

            inserted[r] = await command.ExecuteNonQueryAsync() == 1;
        }

        return keyed ? inserted : null;
    }

    /// <summary>
    /// A client-server database pays a round trip and a parse per statement: send the whole batch as one statement
    /// of column arrays (PostgreSQL's multi-argument unnest), whatever its size.
    /// </summary>
    private static async Task<bool[]?> ColumnArraysAsync(DbConnection connection, DbTransaction tx, string table, string[] columns,
        List<object[]> rows, string conflict, bool keyed)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        for (int c = 0; c < columns.Length; c++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "c" + c;
            p.Value = ColumnArray(rows, c);
            command.Parameters.Add(p);
        }

        command.CommandText = $"INSERT INTO {table} ({string.Join(",", columns)}) SELECT * FROM unnest({string.Join(",", columns.Select((_, i) => "@c" + i))}) "
            + conflict + (keyed ? $" RETURNING {columns[0]}, {columns[1]}" : "");
        if (!keyed)
        {
            await command.ExecuteNonQueryAsync();
            return null;
        }

        var returned = new HashSet<(string, long)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                returned.Add((reader.GetString(0), reader.GetInt64(1)));
            }
        }

        // The first row with a returned key is the one inserted; a repeat of it in the same batch was a duplicate.
        var inserted = new bool[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            inserted[r] = returned.Remove(((string)rows[r][0], (long)rows[r][1]));
        }

        return inserted;
    }

    private static Array ColumnArray(List<object[]> rows, int column) => rows[0][column] switch
    {
        string => rows.Select(r => (string)r[column]).ToArray(),
        long => rows.Select(r => (long)r[column]).ToArray(),
        int => rows.Select(r => (int)r[column]).ToArray(),
        var other => throw new InvalidOperationException($"no array mapping for {other.GetType()}"),
    };
}
