using Kuulo.Companion.Broker;
using Kuulo.Companion.Storage;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using static Kuulo.Companion.Registry.ConfigLayers;

namespace Kuulo.Companion.Registry;

/// <summary>
/// Group and per-device configuration. Every change is validated against the core's <see cref="DeskConfig"/> table
/// for each device it reaches before anything is stored; then each device whose merged configuration changed gets
/// the next version, published retained. A device whose merge did not change keeps its version and hears nothing.
/// </summary>
public sealed class FleetConfig(SqlStore store, FleetStore fleet, IDevicePublisher publisher, DeviceDirectory directory, TimeProvider clock)
{
    /// <summary>What a group push did: the group's new version and, among its members, how many got a new configuration.</summary>
    public sealed record GroupPush(string Scope, string Name, int Version, int Members, int Changed);

    /// <summary>A group's members and how far they are: reported the configuration they should run, refused it (and why), or not yet heard from.</summary>
    public sealed record GroupStatus(string Scope, string Name, int Version, IReadOnlyDictionary<string, int> Values, int Members,
        int Reported, int Pending, IReadOnlyList<Refusal> Rejected);

    public sealed record Refusal(string Device, int Version, string? Error);

    public static bool IsGroupScope(string scope) => GroupScopes.Contains(scope);

    /// <summary>The layers of one device, lowest first.</summary>
    public async Task<IReadOnlyList<Layer>> LayersAsync(DeviceRecord device, IReadOnlyList<GroupRecord>? groups = null)
    {
        groups ??= await fleet.ListGroupsAsync();
        var layers = new List<Layer>();
        foreach (string scope in GroupScopes)
        {
            string name = GroupOf(scope, device);
            if (groups.FirstOrDefault(g => g.Scope == scope && g.Name == name) is { } group)
            {
                layers.Add(new Layer(scope, name, Parse(group.ConfigValues)));
            }
        }

        layers.Add(new Layer(Device, device.Id, Overrides(device)));
        return layers;
    }

    public async Task<DeviceRegistry.Outcome<int>> SetDeviceAsync(string id, IReadOnlyDictionary<string, int?> changes)
    {
        var device = await store.GetDeviceAsync(id);
        if (device == null)
        {
            return new(0, $"unknown device '{id}'", NotFound: true);
        }

        if (Check(changes.Where(c => c.Value != null).Select(c => KeyValuePair.Create(c.Key, c.Value!.Value))) is { } invalid)
        {
            return new(0, invalid);
        }

        var overrides = Apply(Overrides(device), changes);
        var layers = (await LayersAsync(device)).SkipLast(1).Append(new Layer(Device, id, overrides));
        var merged = Merge(layers);
        if (merged.Error != null)
        {
            return new(0, merged.Error);
        }

        device.ConfigOverrides = ToJson(overrides);
        await fleet.SetOverridesAsync(id, device.ConfigOverrides);
        return new(await PublishIfChangedAsync(device, merged.Config), null);
    }

    /// <summary>Sets or clears (null) parameters of a group, for every member at once; refused whole if any member's merge would be invalid.</summary>
    public async Task<DeviceRegistry.Outcome<GroupPush>> SetGroupAsync(string scope, string name, IReadOnlyDictionary<string, int?> changes)
    {
        if (Check(changes.Where(c => c.Value != null).Select(c => KeyValuePair.Create(c.Key, c.Value!.Value))) is { } invalid)
        {
            return new(null, invalid);
        }

        var groups = (await fleet.ListGroupsAsync()).ToList();
        var current = groups.FirstOrDefault(g => g.Scope == scope && g.Name == name);
        var values = Apply(Parse(current?.ConfigValues), changes);
        groups.RemoveAll(g => g.Scope == scope && g.Name == name);
        groups.Add(new GroupRecord { Scope = scope, Name = name, ConfigValues = ToJson(values) });

        var members = (await store.ListDevicesAsync()).Where(d => GroupOf(scope, d) == name).ToList();
        var plans = new List<(DeviceRecord Device, DeskConfig Config)>();
        foreach (var device in members)
        {
            var merged = Merge(await LayersAsync(device, groups));
            if (merged.Error != null)
            {
                return new(null, $"device '{device.Id}' would get an invalid configuration: {merged.Error}");
            }

            plans.Add((device, merged.Config));
        }

        // With no members yet, the group must still make sense on top of the fleet layer.
        var own = Merge(groups.Where(g => g.Scope == Fleet || (g.Scope == scope && g.Name == name))
            .OrderBy(g => Array.IndexOf(GroupScopes, g.Scope)).Select(g => new Layer(g.Scope, g.Name, Parse(g.ConfigValues))));
        if (own.Error != null)
        {
            return new(null, own.Error);
        }

        int version = await fleet.SaveGroupAsync(scope, name, ToJson(values), values.Count == 0, clock.GetUtcNow().ToUnixTimeMilliseconds());
        int changed = 0;
        foreach (var (device, config) in plans.Where(p => !p.Device.Disabled))
        {
            changed += await PublishIfChangedAsync(device, config) != device.DesiredVersion ? 1 : 0;
        }

        return new(new GroupPush(scope, name, version, members.Count, changed), null);
    }

    public async Task<GroupStatus> StatusAsync(string scope, string name)
    {
        var group = (await fleet.ListGroupsAsync()).FirstOrDefault(g => g.Scope == scope && g.Name == name);
        var members = (await store.ListDevicesAsync()).Where(d => GroupOf(scope, d) == name && !d.Disabled).ToList();
        var rejected = members.Where(d => d.RejectedVersion == d.DesiredVersion && d.DesiredVersion > 0)
            .Select(d => new Refusal(d.Id, d.DesiredVersion, d.RejectedError)).ToList();
        int reported = members.Count(d => (d.ReportedVersion ?? 0) == d.DesiredVersion);
        return new GroupStatus(scope, name, group?.Version ?? 0, Parse(group?.ConfigValues), members.Count, reported,
            members.Count - reported - rejected.Count, rejected);
    }

    /// <summary>After a device moved site or team: its layers changed, so may its configuration.</summary>
    public async Task RefreshAsync(DeviceRecord device)
    {
        var merged = Merge(await LayersAsync(device));
        if (merged.Error == null)
        {
            await PublishIfChangedAsync(device, merged.Config);
        }
    }

    /// <summary>Stores and publishes the merged configuration as the next version unless the device already has it; returns the version in force.</summary>
    private async Task<int> PublishIfChangedAsync(DeviceRecord device, DeskConfig config)
    {
        config.Version = device.DesiredVersion;
        if (ConfigMessage.ToJson(config) == (device.DesiredConfig ?? ConfigMessage.ToJson(new DeskConfig { Version = 0 })))
        {
            return device.DesiredVersion;
        }

        if (device.ConfigOverrides == null)
        {
            // From now on the device's own values are stored, not read back from a document the groups shaped.
            await fleet.SetOverridesAsync(device.Id, ToJson(Overrides(device)));
        }

        string document = "";
        int version = await store.SetDesiredConfigAsync(device.Id, v =>
        {
            config.Version = v;
            return document = ConfigMessage.ToJson(config);
        });
        directory.Forget(device.Id);
        if (!device.Disabled)
        {
            await publisher.PublishAsync(Topics.For(device.Id, Topics.ConfigDesired), document, retain: true);
        }

        return version;
    }

    /// <summary>
    /// The device's own values. A device configured before groups existed has none stored: its non-default desired
    /// values are its overrides, so nothing it was given is lost.
    /// </summary>
    private static Dictionary<string, int> Overrides(DeviceRecord device)
    {
        if (device.ConfigOverrides != null || device.DesiredConfig == null)
        {
            return Parse(device.ConfigOverrides);
        }

        var desired = ConfigMessage.Parse(device.DesiredConfig, out _) ?? new DeskConfig();
        return DeskConfig.Parameters.Select((p, i) => (p, i)).Where(x => desired.Get(x.i) != x.p.Default)
            .ToDictionary(x => x.p.Name, x => desired.Get(x.i));
    }
}
