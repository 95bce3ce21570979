using Kuulo.Companion.Auth;
using Kuulo.Companion.Options;
using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Api;

/// <summary>/api/devices: the fleet, for facilities.</summary>
public static class DeviceEndpoints
{
    public sealed record RegisterRequest(string? Id, string? Site, string? Team, string? Desk, string? Agent);
    public sealed record AssignRequest(string? Site, string? Team, string? Desk, string? Agent);
    public sealed record CommandRequest(string? Command);

    /// <summary>A device as the API shows it: never its credential hash.</summary>
    public sealed record DeviceView(string Id, string Site, string Team, string Desk, string Agent, bool Disabled, bool Online, long? LastSeenMs,
        string? Firmware, int? Rssi, int? FreeHeap, int? UptimeS, int? Queued, int? Dropped, bool InCall,
        int DesiredVersion, int? ReportedVersion, int? RejectedVersion, string? RejectedError)
    {
        public static DeviceView From(DeviceRecord d) => new(d.Id, d.Site, d.Team, d.Desk, d.Agent, d.Disabled, d.Online, d.LastSeenMs, d.Firmware,
            d.Rssi, d.FreeHeap, d.UptimeS, d.Queued, d.Dropped, d.InCall, d.DesiredVersion, d.ReportedVersion, d.RejectedVersion, d.RejectedError);
    }

    public static void MapDeviceApi(this WebApplication app)
    {
        var devices = app.MapGroup("/api/devices").WithTags("devices").RequireAuthorization(Roles.ManageDevices);

        devices.MapGet("/", async (SqlStore store, HttpRequest request) =>
        {
            var list = (await store.ListDevicesAsync()).Select(DeviceView.From).ToList();
            return Csv.Wanted(request) ? Csv.File(list, "devices") : Results.Ok(list);
        });

        devices.MapGet("/{id}", async (string id, SqlStore store, FleetConfig fleetConfig, IOptions<KuuloOptions> options) =>
        {
            var device = await store.GetDeviceAsync(id);
            if (device == null)
            {
                return Results.Problem($"unknown device '{id}'", statusCode: 404);
            }

            // Each parameter with the layer its value comes from; the merge is what the device was (or will be) sent.
            var merged = ConfigLayers.Merge(await fleetConfig.LayersAsync(device));
            return Results.Ok(new
            {
                device = DeviceView.From(device),
                desiredConfig = DeskConfig.Parameters.Select((p, i) => new
                {
                    name = p.Name, value = merged.Config.Get(i), source = merged.Sources[i]?.Scope ?? ConfigLayers.Default, group = merged.Sources[i]?.Name,
                }),
                gaps = await store.GapsAsync(id, options.Value.GapWarningWindow),
            });
        });

        devices.MapPost("/", async (RegisterRequest r, DeviceRegistry registry) =>
        {
            var outcome = await registry.RegisterAsync(r.Id ?? "", r.Site ?? "", r.Team ?? "", r.Desk ?? "", r.Agent ?? "");
            return outcome.Error != null
                ? Results.Problem(outcome.Error, statusCode: outcome.Error.Contains("already") ? 409 : 400)
                : Results.Created($"/api/devices/{r.Id}", outcome.Value);
        });

        devices.MapPut("/{id}/assignment", async (string id, AssignRequest r, DeviceRegistry registry) =>
            Reply(await registry.AssignAsync(id, r.Site, r.Team, r.Desk, r.Agent), d => DeviceView.From(d!)));

        devices.MapPost("/{id}/credentials", async (string id, DeviceRegistry registry) =>
            Reply(await registry.RotateCredentialsAsync(id), r => r));

        devices.MapPost("/{id}/disable", async (string id, DeviceRegistry registry) =>
            Reply(await registry.SetEnabledAsync(id, enabled: false), d => DeviceView.From(d!)));

        devices.MapPost("/{id}/enable", async (string id, DeviceRegistry registry) =>
            Reply(await registry.SetEnabledAsync(id, enabled: true), d => DeviceView.From(d!)));

        devices.MapDelete("/{id}", async (string id, DeviceRegistry registry) =>
        {
            var outcome = await registry.DeleteAsync(id);
            return outcome.Error == null ? Results.NoContent() : Results.Problem(outcome.Error, statusCode: 404);
        });

        // The device's own overrides: a number sets one, null removes it so its team, site or fleet value applies again.
        devices.MapPut("/{id}/config", async (string id, Dictionary<string, int?> values, FleetConfig fleetConfig) =>
            Reply(await fleetConfig.SetDeviceAsync(id, values), version => new { version }));

        devices.MapPost("/{id}/commands", async (string id, CommandRequest r, DeviceRegistry registry) =>
            Reply(await registry.SendCommandAsync(id, r.Command ?? ""), commandId => new { id = commandId }));

        // A 10-second level check on the desk; the answer arrives on its calibration topic and is kept as the latest.
        devices.MapPost("/{id}/calibration", async (string id, DeviceRegistry registry, FleetStore fleet, TimeProvider clock) =>
        {
            var outcome = await registry.SendCommandAsync(id, CommandMessage.Calibrate);
            if (outcome.Error == null)
            {
                await fleet.RequestCalibrationAsync(id, outcome.Value, clock.GetUtcNow().ToUnixTimeMilliseconds());
            }

            return Reply(outcome, commandId => new { id = commandId, seconds = CalibrationReport.DurationMs / 1000 });
        });

        devices.MapGet("/{id}/calibration", async (string id, FleetStore fleet) =>
            await fleet.GetCalibrationAsync(id) is { } c
                ? Results.Ok(new { c.CommandId, c.RequestedMs, c.ReceivedMs, report = c.Report == null ? null : CalibrationCheck.From(CalibrationReport.Parse(c.Report, out _)!) })
                : Results.Problem($"no calibration check was asked of '{id}'", statusCode: 404));

        devices.MapGet("/{id}/gaps", async (string id, SqlStore store, IOptions<KuuloOptions> options) =>
            Results.Ok(await store.GapsAsync(id, options.Value.GapWarningWindow)));

        // The configuration table itself, so a UI can show names, ranges and units.
        app.MapGet("/api/config/parameters", () => DeskConfig.Parameters.Select(p => new { p.Name, p.Default, p.Min, p.Max, p.Unit, p.Description }))
            .WithTags("devices").RequireAuthorization(Roles.ManageDevices);
    }

    private static IResult Reply<T>(DeviceRegistry.Outcome<T> outcome, Func<T?, object?> body) =>
        outcome.Error == null ? Results.Ok(body(outcome.Value))
        : Results.Problem(outcome.Error, statusCode: outcome.NotFound ? 404 : 400);
}
