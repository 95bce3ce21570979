using Kuulo.Companion.Auth;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Microsoft.Extensions.Options;
using static Kuulo.Companion.Api.DeviceEndpoints;

namespace Kuulo.Companion.Api;

/// <summary>/api/fleet/inventory: the whole fleet at a glance, searched, filtered and sorted on the server.</summary>
public static class InventoryEndpoints
{
    public static readonly string[] Statuses = { "online", "offline", "in_call", "disabled", "backlog", "dropped", "weak_wifi", "low_heap" };

    private static readonly Dictionary<string, Func<DeviceView, IComparable?>> SortKeys = new()
    {
        ["id"] = d => d.Id, ["site"] = d => d.Site, ["team"] = d => d.Team, ["desk"] = d => d.Desk, ["agent"] = d => d.Agent,
        ["status"] = d => d.Disabled ? 3 : d.InCall ? 0 : d.Online ? 1 : 2, ["firmware"] = d => d.Firmware, ["rssi"] = d => d.Rssi,
        ["heap"] = d => d.FreeHeap, ["uptime"] = d => d.UptimeS, ["queued"] = d => d.Queued, ["dropped"] = d => d.Dropped,
        ["last_seen"] = d => d.LastSeenMs,
    };

    public sealed record Counts(int Total, int Online, int Offline, int InCall, int Disabled, int Backlog, int Dropped, int WeakWifi, int LowHeap);

    public sealed record FirmwareCount(string Version, int Devices);

    public static void MapInventoryApi(this WebApplication app)
    {
        app.MapGet("/api/fleet/inventory", async (SqlStore store, IOptions<KuuloOptions> options, string? q, string? site, string? team,
            string? status, string? sort, string? order) =>
        {
            if (status != null && !Statuses.Contains(status))
            {
                return Results.Problem($"unknown status '{status}'; use one of {string.Join(", ", Statuses)}", statusCode: 400);
            }

            if (sort != null && !SortKeys.ContainsKey(sort))
            {
                return Results.Problem($"unknown sort '{sort}'; use one of {string.Join(", ", SortKeys.Keys)}", statusCode: 400);
            }

            var limits = options.Value.Fleet;
            var all = (await store.ListDevicesAsync()).Select(DeviceView.From).ToList();
            // Counts and firmware versions describe what the search and site/team filters select; the status filter narrows the list.
            var selected = all.Where(d => (site == null || d.Site == site) && (team == null || d.Team == team) && Matches(d, q)).ToList();
            var counts = new Counts(selected.Count, selected.Count(d => Is(d, "online", limits)), selected.Count(d => Is(d, "offline", limits)),
                selected.Count(d => Is(d, "in_call", limits)), selected.Count(d => d.Disabled), selected.Count(d => Is(d, "backlog", limits)),
                selected.Count(d => Is(d, "dropped", limits)), selected.Count(d => Is(d, "weak_wifi", limits)), selected.Count(d => Is(d, "low_heap", limits)));
            var firmware = selected.GroupBy(d => d.Firmware ?? "unknown").Select(g => new FirmwareCount(g.Key, g.Count()))
                .OrderByDescending(f => f.Devices).ThenBy(f => f.Version).ToList();
            var key = SortKeys[sort ?? "id"];
            // Desks that never reported a figure sort last either way.
            var listed = selected.Where(d => status == null || Is(d, status, limits)).OrderBy(d => key(d) == null);
            listed = order == "desc" ? listed.ThenByDescending(key).ThenBy(d => d.Id) : listed.ThenBy(key).ThenBy(d => d.Id);
            return Results.Ok(new
            {
                counts, firmware,
                sites = all.Select(d => d.Site).Distinct().Order(), teams = all.Select(d => d.Team).Distinct().Order(),
                thresholds = new { limits.WeakRssiDbm, limits.LowHeapBytes },
                devices = listed.ToList(),
            });
        }).AllowOnly("q", "site", "team", "status", "sort", "order").WithTags("devices").RequireAuthorization(Roles.ManageDevices);
    }

    private static bool Matches(DeviceView d, string? q) => string.IsNullOrWhiteSpace(q)
        || new[] { d.Id, d.Site, d.Team, d.Desk, d.Agent, d.Firmware ?? "" }.Any(f => f.Contains(q.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>A device's standing for one status filter. RSSI 0 means unknown (a wired host unit), not a perfect signal.</summary>
    private static bool Is(DeviceView d, string status, FleetOptions limits) => status switch
    {
        "online" => d.Online && !d.Disabled,
        "offline" => !d.Online && !d.Disabled,
        "in_call" => d.Online && d.InCall,
        "disabled" => d.Disabled,
        "backlog" => d.Queued > 0,
        "dropped" => d.Dropped > 0,
        "weak_wifi" => d.Online && d.Rssi is < 0 && d.Rssi <= limits.WeakRssiDbm,
        "low_heap" => d.Online && d.FreeHeap < limits.LowHeapBytes,
        _ => false,
    };
}
