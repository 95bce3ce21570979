using Dapper;

namespace Kuulo.Companion.Storage;

/// <summary>A fleet-wide, site or team configuration layer (see Registry/ConfigLayers).</summary>
public sealed class GroupRecord
{
    public string Scope { get; set; } = "";
    public string Name { get; set; } = "";
    public string ConfigValues { get; set; } = "{}";
    public int Version { get; set; }
    public long UpdatedMs { get; set; }
}

/// <summary>Reads and writes of the fleet tools: configuration groups and per-device overrides.</summary>
public sealed class FleetStore(SqlDialect dialect)
{
    public async Task<IReadOnlyList<GroupRecord>> ListGroupsAsync()
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<GroupRecord>("SELECT * FROM config_groups ORDER BY scope, name")).AsList();
    }

    /// <summary>Stores a group's values as its next version (an empty set removes the group); returns that version.</summary>
    public async Task<int> SaveGroupAsync(string scope, string name, string valuesJson, bool empty, long nowMs)
    {
        await using var c = await dialect.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        int version = (await c.ExecuteScalarAsync<int?>("SELECT version FROM config_groups WHERE scope = @scope AND name = @name",
            new { scope, name }, tx) ?? 0) + 1;
        await c.ExecuteAsync("DELETE FROM config_groups WHERE scope = @scope AND name = @name", new { scope, name }, tx);
        if (!empty)
        {
            await c.ExecuteAsync(
                "INSERT INTO config_groups (scope, name, config_values, version, updated_ms) VALUES (@scope, @name, @valuesJson, @version, @nowMs)",
                new { scope, name, valuesJson, version, nowMs }, tx);
        }

        await tx.CommitAsync();
        return version;
    }

    public async Task SetOverridesAsync(string deviceId, string valuesJson)
    {
        await using var c = await dialect.OpenAsync();
        await c.ExecuteAsync("UPDATE devices SET config_overrides = @valuesJson WHERE id = @deviceId", new { deviceId, valuesJson });
    }
}
