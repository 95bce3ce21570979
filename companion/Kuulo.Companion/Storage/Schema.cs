using System.Data.Common;
using Dapper;

namespace Kuulo.Companion.Storage;

/// <summary>Schema migrations, applied in order on start; schema_version records how far a database is.</summary>
public static class Schema
{
    /// <summary>One step: its statements, then whatever must be computed from existing data.</summary>
    private sealed record Migration(string Sql, Func<DbConnection, DbTransaction, Task>? Then = null);

    private static Migration[] Migrations(SqlDialect d, TimeZoneInfo defaultZone) => new[]
    {
        new Migration($"""
        CREATE TABLE devices (
            id TEXT PRIMARY KEY, site TEXT NOT NULL, team TEXT NOT NULL, desk TEXT NOT NULL, agent TEXT NOT NULL,
            password_hash TEXT NOT NULL, created_ms BIGINT NOT NULL,
            online BOOLEAN NOT NULL DEFAULT FALSE, last_seen_ms BIGINT, firmware TEXT, rssi INTEGER, free_heap INTEGER,
            uptime_s INTEGER, queued INTEGER, dropped INTEGER, in_call BOOLEAN NOT NULL DEFAULT FALSE,
            desired_version INTEGER NOT NULL DEFAULT 0, desired_config {d.Text}, reported_version INTEGER,
            rejected_version INTEGER, rejected_error TEXT);
        CREATE TABLE calls (
            device_id TEXT NOT NULL, seq BIGINT NOT NULL, call_number INTEGER NOT NULL,
            agent TEXT NOT NULL, team TEXT NOT NULL, site TEXT NOT NULL, start_ms BIGINT NOT NULL, received_ms BIGINT NOT NULL,
            cfg INTEGER NOT NULL, dur_ms INTEGER NOT NULL, agent_ms INTEGER NOT NULL, cust_ms INTEGER NOT NULL,
            overlap_ms INTEGER NOT NULL, hold_ms INTEGER NOT NULL, interruptions INTEGER NOT NULL, backchannels INTEGER NOT NULL,
            cust_overlaps INTEGER NOT NULL, dead_air_n INTEGER NOT NULL, dead_air_ms INTEGER NOT NULL, dead_air_max_ms INTEGER NOT NULL,
            monologues INTEGER NOT NULL, agent_turn_max_ms INTEGER NOT NULL, cust_turn_max_ms INTEGER NOT NULL,
            gap_n INTEGER NOT NULL, gap_med_ms INTEGER NOT NULL, talk_ratio_pm INTEGER NOT NULL, alerts INTEGER NOT NULL,
            PRIMARY KEY (device_id, seq));
        CREATE INDEX calls_start ON calls (start_ms);
        CREATE INDEX calls_agent ON calls (agent, start_ms);
        CREATE TABLE alerts (
            device_id TEXT NOT NULL, seq BIGINT NOT NULL, call_number INTEGER NOT NULL,
            agent TEXT NOT NULL, team TEXT NOT NULL, site TEXT NOT NULL, ts_ms BIGINT NOT NULL, at_ms INTEGER NOT NULL,
            type TEXT NOT NULL, stage INTEGER NOT NULL, received_ms BIGINT NOT NULL,
            PRIMARY KEY (device_id, seq));
        CREATE INDEX alerts_received ON alerts (received_ms);
        CREATE TABLE dead_letters (
            id {d.Identity}, received_ms BIGINT NOT NULL, topic TEXT NOT NULL, client_id TEXT, reason TEXT NOT NULL,
            payload {d.Text} NOT NULL);
        """),
        new Migration("""
        ALTER TABLE devices ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
        CREATE INDEX dead_letters_received ON dead_letters (received_ms);
        """),
        // Dashboards read daily rollups; existing calls are counted into them once, here.
        new Migration(Rollups.CreateTables(), (c, tx) => Rollups.RebuildAsync(c, tx, d, defaultZone, only: Rollups.DailyTables)),
        // Fleet tools (issue 10): group configuration layers, per-device overrides, calibration reports, firmware rollouts.
        new Migration($"""
        CREATE TABLE config_groups (
            scope TEXT NOT NULL, name TEXT NOT NULL, config_values TEXT NOT NULL, version INTEGER NOT NULL, updated_ms BIGINT NOT NULL,
            PRIMARY KEY (scope, name));
        ALTER TABLE devices ADD COLUMN config_overrides TEXT;
        CREATE TABLE calibrations (
            device_id TEXT PRIMARY KEY, command_id BIGINT NOT NULL, requested_ms BIGINT NOT NULL, received_ms BIGINT, report TEXT);
        CREATE TABLE firmware_images (
            id {d.Identity}, version TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL, size INTEGER NOT NULL, signature TEXT NOT NULL,
            uploaded_ms BIGINT NOT NULL, image {(d.IsSqlite ? "BLOB" : "BYTEA")} NOT NULL);
        CREATE TABLE rollouts (
            id {d.Identity}, image_id BIGINT NOT NULL, version TEXT NOT NULL, scope TEXT NOT NULL, name TEXT NOT NULL,
            canary_percent INTEGER NOT NULL, state TEXT NOT NULL, created_ms BIGINT NOT NULL);
        CREATE TABLE rollout_devices (
            rollout_id BIGINT NOT NULL, device_id TEXT NOT NULL, wave TEXT NOT NULL, state TEXT NOT NULL, detail TEXT,
            updated_ms BIGINT NOT NULL, PRIMARY KEY (rollout_id, device_id));
        CREATE INDEX rollout_devices_device ON rollout_devices (device_id)
        """),
        // Weekly and monthly per-agent and per-team rollups, so a year of weeks or the team overview reads few rows;
        // existing calls are counted into them once, here.
        new Migration(Rollups.CreatePeriodTables(), (c, tx) => Rollups.RebuildAsync(c, tx, d, defaultZone, only: Rollups.PeriodTables)),
    };

    public static async Task MigrateAsync(SqlDialect dialect, TimeZoneInfo defaultZone)
    {
        await using var connection = await dialect.OpenAsync();
        if (!dialect.IsSqlite)
        {
            // Several instances may start together against one database: one migrates, the others wait.
            await connection.ExecuteAsync("SELECT pg_advisory_lock(7715)");
        }

        await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
        int current = await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_version") ?? 0;
        var migrations = Migrations(dialect, defaultZone);
        for (int version = current + 1; version <= migrations.Length; version++)
        {
            await using var tx = await connection.BeginTransactionAsync();
            var migration = migrations[version - 1];
            foreach (var statement in migration.Sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                await connection.ExecuteAsync(statement, transaction: tx);
            }

            if (migration.Then != null)
            {
                await migration.Then(connection, tx);
            }

            await connection.ExecuteAsync("INSERT INTO schema_version (version) VALUES (@version)", new { version }, tx);
            await tx.CommitAsync();
        }
    }
}
