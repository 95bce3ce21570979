using Kuulo.Companion.Auth;
using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>
/// /api/config/groups: configuration for the whole fleet, a site or a team in one action, and how far its members
/// are. A group is addressed as <c>/api/config/groups/{fleet|site|team}?name=...</c> (names may hold any printable
/// character, so they travel in the query, not the path).
/// </summary>
public static class GroupConfigEndpoints
{
    public static void MapGroupConfigApi(this WebApplication app)
    {
        var groups = app.MapGroup("/api/config/groups").WithTags("devices").RequireAuthorization(Roles.ManageDevices);

        // Every group that is configured or has members: the fleet, each site and each team.
        groups.MapGet("/", async (SqlStore store, FleetStore fleet, FleetConfig fleetConfig) =>
        {
            var devices = await store.ListDevicesAsync();
            var keys = new List<(string Scope, string Name)> { (ConfigLayers.Fleet, "") };
            keys.AddRange(devices.Select(d => (ConfigLayers.Site, d.Site))
                .Concat(devices.Select(d => (ConfigLayers.Team, d.Team)))
                .Concat((await fleet.ListGroupsAsync()).Select(g => (g.Scope, g.Name)))
                .Where(k => k.Item1 != ConfigLayers.Fleet).Distinct().OrderBy(k => Array.IndexOf(ConfigLayers.GroupScopes, k.Item1)).ThenBy(k => k.Item2));
            var statuses = new List<FleetConfig.GroupStatus>();
            foreach (var (scope, name) in keys)
            {
                statuses.Add(await fleetConfig.StatusAsync(scope, name));
            }

            return Results.Ok(statuses);
        });

        groups.MapGet("/{scope}", async (string scope, string? name, FleetConfig fleetConfig) =>
            Unknown(scope, name) is { } problem ? problem : Results.Ok(await fleetConfig.StatusAsync(scope, name ?? "")))
            .AllowOnly("name");

        groups.MapPut("/{scope}", async (string scope, string? name, Dictionary<string, int?> values, FleetConfig fleetConfig) =>
        {
            if (Unknown(scope, name) is { } problem)
            {
                return problem;
            }

            var outcome = await fleetConfig.SetGroupAsync(scope, name ?? "", values);
            return outcome.Error == null ? Results.Ok(outcome.Value) : Results.Problem(outcome.Error, statusCode: 400);
        }).AllowOnly("name");
    }

    private static IResult? Unknown(string scope, string? name)
    {
        if (!FleetConfig.IsGroupScope(scope))
        {
            return Results.Problem($"unknown group scope '{scope}'; use fleet, site or team", statusCode: 404);
        }

        bool named = !string.IsNullOrEmpty(name);
        if (named == (scope == ConfigLayers.Fleet))
        {
            return Results.Problem(scope == ConfigLayers.Fleet ? "the fleet group takes no name" : $"a {scope} group needs ?name=", statusCode: 400);
        }

        return name is { Length: > DeviceRegistry.MaxNameLength } ? Results.Problem($"a {scope} name has at most {DeviceRegistry.MaxNameLength} characters", statusCode: 400) : null;
    }
}
