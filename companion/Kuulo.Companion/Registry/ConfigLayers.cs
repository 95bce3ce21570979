using System.Text.Json;
using Kuulo.Companion.Storage;
using Kuulo.Core.Config;

namespace Kuulo.Companion.Registry;

/// <summary>
/// Where a desk's desired configuration comes from: the core's defaults, then the fleet, its site, its team and
/// its own overrides, each layer setting only the parameters it names. The highest layer that sets a parameter
/// wins, and the merged result is what the device receives as one retained <c>config/desired</c> document.
/// Teams are named across sites, as the statistics group them.
/// </summary>
public static class ConfigLayers
{
    public const string Default = "default";
    public const string Fleet = "fleet";
    public const string Site = "site";
    public const string Team = "team";
    public const string Device = "device";

    /// <summary>The group scopes, lowest first.</summary>
    public static readonly string[] GroupScopes = { Fleet, Site, Team };

    /// <summary>One layer's values and where they come from (<see cref="Scope"/> and, for site and team, <see cref="Name"/>).</summary>
    public sealed record Layer(string Scope, string Name, IReadOnlyDictionary<string, int> Values);

    /// <summary>The merged configuration, the layer each parameter's value came from, or why the merge is not a valid configuration.</summary>
    public sealed record Merged(DeskConfig Config, Layer?[] Sources, string? Error);

    public static Merged Merge(IEnumerable<Layer> layers)
    {
        var config = new DeskConfig();
        var sources = new Layer?[DeskConfig.Parameters.Length];
        foreach (var layer in layers)
        {
            foreach (var (name, value) in layer.Values)
            {
                string? error = config.Set(name, value);
                if (error != null)
                {
                    return new(config, sources, $"{Describe(layer)}: {error}");
                }

                sources[DeskConfig.IdOf(name)] = layer;
            }
        }

        return new(config, sources, config.Validate());
    }

    /// <summary>The group of <paramref name="scope"/> a device belongs to: "" for the fleet, else its site or team.</summary>
    public static string GroupOf(string scope, DeviceRecord device) => scope switch
    {
        Site => device.Site,
        Team => device.Team,
        _ => "",
    };

    public static string Describe(Layer layer) => layer.Scope is Site or Team ? $"{layer.Scope} '{layer.Name}'" : layer.Scope;

    /// <summary>Each name must be a parameter of the core's table and each value inside its range; null when they all are.</summary>
    public static string? Check(IEnumerable<KeyValuePair<string, int>> values)
    {
        var probe = new DeskConfig();
        return values.Select(v => probe.Set(v.Key, v.Value)).FirstOrDefault(e => e != null);
    }

    /// <summary>Applies a change set: a number sets a parameter, null removes it so the layer below shows through again.</summary>
    public static Dictionary<string, int> Apply(IReadOnlyDictionary<string, int> current, IReadOnlyDictionary<string, int?> changes)
    {
        var next = new Dictionary<string, int>(current);
        foreach (var (name, value) in changes)
        {
            if (value is { } v)
            {
                next[name] = v;
            }
            else
            {
                next.Remove(name);
            }
        }

        return next;
    }

    public static Dictionary<string, int> Parse(string? json) =>
        string.IsNullOrEmpty(json) ? new() : JsonSerializer.Deserialize<Dictionary<string, int>>(json) ?? new();

    public static string ToJson(IReadOnlyDictionary<string, int> values) =>
        JsonSerializer.Serialize(values.OrderBy(v => DeskConfig.IdOf(v.Key)).ToDictionary(v => v.Key, v => v.Value));
}
