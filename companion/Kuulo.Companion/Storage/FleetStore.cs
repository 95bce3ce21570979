using System.Data.Common;
using Dapper;
using Kuulo.Core.Protocol;

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

public sealed class CalibrationRecord
{
    public string DeviceId { get; set; } = "";
    public long CommandId { get; set; }
    public long RequestedMs { get; set; }
    public long? ReceivedMs { get; set; }
    public string? Report { get; set; }
}

public sealed class FirmwareImageRecord
{
    public long Id { get; set; }
    public string Version { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public int Size { get; set; }
    public string Signature { get; set; } = "";
    public long UploadedMs { get; set; }
}

public sealed class RolloutRecord
{
    public long Id { get; set; }
    public long ImageId { get; set; }
    public string Version { get; set; } = "";
    public string Scope { get; set; } = "";
    public string Name { get; set; } = "";
    public int CanaryPercent { get; set; }
    public string State { get; set; } = "";
    public long CreatedMs { get; set; }
}

public sealed class RolloutDeviceRecord
{
    public long RolloutId { get; set; }
    public string DeviceId { get; set; } = "";
    public string Wave { get; set; } = "";
    public string State { get; set; } = "";
    public string? Detail { get; set; }
    public long UpdatedMs { get; set; }
}

/// <summary>Reads and writes of the fleet tools: configuration groups, overrides, calibration checks and firmware rollouts.</summary>
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

    public async Task RequestCalibrationAsync(string deviceId, long commandId, long nowMs)
    {
        await using var c = await dialect.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await c.ExecuteAsync("DELETE FROM calibrations WHERE device_id = @deviceId", new { deviceId }, tx);
        await c.ExecuteAsync("INSERT INTO calibrations (device_id, command_id, requested_ms) VALUES (@deviceId, @commandId, @nowMs)",
            new { deviceId, commandId, nowMs }, tx);
        await tx.CommitAsync();
    }

    public async Task<CalibrationRecord?> GetCalibrationAsync(string deviceId)
    {
        await using var c = await dialect.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<CalibrationRecord>("SELECT * FROM calibrations WHERE device_id = @deviceId", new { deviceId });
    }

    /// <summary>False when the version is taken.</summary>
    public async Task<long?> AddImageAsync(FirmwareImageRecord image, byte[] bytes)
    {
        await using var c = await dialect.OpenAsync();
        return await c.ExecuteScalarAsync<long?>(
            """
            INSERT INTO firmware_images (version, sha256, size, signature, uploaded_ms, image)
            VALUES (@Version, @Sha256, @Size, @Signature, @UploadedMs, @bytes) ON CONFLICT (version) DO NOTHING RETURNING id
            """, new { image.Version, image.Sha256, image.Size, image.Signature, image.UploadedMs, bytes });
    }

    public async Task<IReadOnlyList<FirmwareImageRecord>> ListImagesAsync()
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<FirmwareImageRecord>(
            "SELECT id, version, sha256, size, signature, uploaded_ms FROM firmware_images ORDER BY uploaded_ms DESC")).AsList();
    }

    public async Task<byte[]?> ImageBytesAsync(string sha256)
    {
        await using var c = await dialect.OpenAsync();
        return await c.ExecuteScalarAsync<byte[]?>("SELECT image FROM firmware_images WHERE sha256 = @sha256", new { sha256 });
    }

    public async Task<long> AddRolloutAsync(RolloutRecord rollout, IEnumerable<RolloutDeviceRecord> devices)
    {
        await using var c = await dialect.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        long id = await c.ExecuteScalarAsync<long>(
            """
            INSERT INTO rollouts (image_id, version, scope, name, canary_percent, state, created_ms)
            VALUES (@ImageId, @Version, @Scope, @Name, @CanaryPercent, @State, @CreatedMs) RETURNING id
            """, rollout, tx);
        foreach (var d in devices)
        {
            d.RolloutId = id;
            await c.ExecuteAsync(
                "INSERT INTO rollout_devices (rollout_id, device_id, wave, state, updated_ms) VALUES (@RolloutId, @DeviceId, @Wave, @State, @UpdatedMs)", d, tx);
        }

        await tx.CommitAsync();
        return id;
    }

    public async Task<RolloutRecord?> GetRolloutAsync(long id)
    {
        await using var c = await dialect.OpenAsync();
        return await c.QuerySingleOrDefaultAsync<RolloutRecord>("SELECT * FROM rollouts WHERE id = @id", new { id });
    }

    public async Task<IReadOnlyList<RolloutRecord>> ListRolloutsAsync()
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<RolloutRecord>("SELECT * FROM rollouts ORDER BY id DESC")).AsList();
    }

    public async Task<IReadOnlyList<RolloutDeviceRecord>> RolloutDevicesAsync(long id)
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<RolloutDeviceRecord>("SELECT * FROM rollout_devices WHERE rollout_id = @id ORDER BY wave, device_id", new { id })).AsList();
    }

    public async Task SetRolloutStateAsync(long id, string state)
    {
        await using var c = await dialect.OpenAsync();
        await c.ExecuteAsync("UPDATE rollouts SET state = @state WHERE id = @id", new { id, state });
    }

    /// <summary>Cancels the desks of a rollout that have not started on the image (pending or offered); returns them.</summary>
    public async Task<IReadOnlyList<string>> CancelUnstartedAsync(long rolloutId, long nowMs)
    {
        await using var c = await dialect.OpenAsync();
        return (await c.QueryAsync<string>("""
            UPDATE rollout_devices SET state = 'cancelled', updated_ms = @nowMs
            WHERE rollout_id = @rolloutId AND state IN ('pending', 'offered') RETURNING device_id
            """, new { rolloutId, nowMs })).AsList();
    }

    /// <summary>Marks a device offered, unless it already reported further.</summary>
    public async Task MarkOfferedAsync(long rolloutId, string deviceId, long nowMs)
    {
        await using var c = await dialect.OpenAsync();
        await c.ExecuteAsync("UPDATE rollout_devices SET state = 'offered', updated_ms = @nowMs WHERE rollout_id = @rolloutId AND device_id = @deviceId AND state = 'pending'",
            new { rolloutId, deviceId, nowMs });
    }

    /// <summary>
    /// Calibration answers and firmware reports, in the ingestion batch's transaction. A report for a rollout the
    /// device is not part of changes nothing. A canary that fails or falls back halts its rollout.
    /// </summary>
    internal static async Task WriteReportsAsync(DbConnection c, DbTransaction tx, IReadOnlyList<IngestItem> items)
    {
        foreach (var item in items.OfType<CalibrationItem>())
        {
            await c.ExecuteAsync("UPDATE calibrations SET received_ms = @ReceivedMs, report = @report WHERE device_id = @DeviceId AND command_id = @CommandId",
                new { item.ReceivedMs, report = item.Report.ToJson(), item.DeviceId, item.Report.CommandId }, tx);
        }

        foreach (var item in items.OfType<OtaReportItem>())
        {
            var r = item.Report;
            await c.ExecuteAsync(
                "UPDATE rollout_devices SET state = @State, detail = @detail, updated_ms = @ReceivedMs WHERE rollout_id = @Rollout AND device_id = @DeviceId",
                new { r.State, detail = r.Error ?? ("running " + r.Running), item.ReceivedMs, r.Rollout, item.DeviceId }, tx);
            if (r.State is OtaReport.Failed or OtaReport.RolledBack)
            {
                await c.ExecuteAsync(
                    """
                    UPDATE rollouts SET state = 'halted' WHERE id = @Rollout AND state = 'canary'
                    AND EXISTS (SELECT 1 FROM rollout_devices WHERE rollout_id = @Rollout AND device_id = @DeviceId AND wave = 'canary')
                    """, new { r.Rollout, item.DeviceId }, tx);
            }
        }
    }
}
