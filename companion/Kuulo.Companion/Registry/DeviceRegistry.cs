using Kuulo.Companion.Broker;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Registry;

/// <summary>Provisioning, assignment, credentials and configuration of desk units.</summary>
public sealed class DeviceRegistry(SqlStore store, DeviceDirectory directory, IDevicePublisher publisher, TimeProvider clock,
    IOptions<KuuloOptions> options)
{
    public sealed record Registration(string Id, string Password);

    /// <summary>A result or the reason it could not be had (bad input, unknown device).</summary>
    public readonly record struct Outcome<T>(T? Value, string? Error, bool NotFound = false);

    public async Task<Outcome<Registration>> RegisterAsync(string id, string site, string team, string desk, string agent)
    {
        if (!Topics.IsValidDeviceId(id))
        {
            return new(null, $"device id '{id}' must be 1-64 characters of a-z, 0-9, '-' and '_'");
        }

        if (ReservedNames.IsReserved(id, options.Value.Broker))
        {
            return new(null, $"device id '{id}' is reserved for the companion's own broker account");
        }

        string? missing = Missing(("site", site), ("team", team), ("desk", desk), ("agent", agent));
        if (missing != null)
        {
            return new(null, missing);
        }

        string password = PasswordHash.NewSecret();
        var device = new DeviceRecord
        {
            Id = id, Site = site.Trim(), Team = team.Trim(), Desk = desk.Trim(), Agent = agent.Trim(),
            PasswordHash = PasswordHash.Hash(password), CreatedMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        if (!await store.AddDeviceAsync(device))
        {
            return new(null, $"device '{id}' is already registered");
        }

        return new(new Registration(id, password), null);
    }

    public async Task<Outcome<Registration>> RotateCredentialsAsync(string id)
    {
        string password = PasswordHash.NewSecret();
        if (!await store.UpdatePasswordAsync(id, PasswordHash.Hash(password)))
        {
            return new(null, $"unknown device '{id}'", NotFound: true);
        }

        directory.Forget(id);
        return new(new Registration(id, password), null);
    }

    public async Task<Outcome<DeviceRecord>> AssignAsync(string id, string? site, string? team, string? desk, string? agent)
    {
        var device = await store.GetDeviceAsync(id);
        if (device == null)
        {
            return new(null, $"unknown device '{id}'", NotFound: true);
        }

        device.Site = Pick(site, device.Site);
        device.Team = Pick(team, device.Team);
        device.Desk = Pick(desk, device.Desk);
        device.Agent = Pick(agent, device.Agent);
        await store.UpdateAssignmentAsync(id, device.Site, device.Team, device.Desk, device.Agent);
        directory.Forget(id);
        return new(device, null);
    }

    /// <summary>
    /// Validates <paramref name="values"/> against the core's configuration table on top of the device's current
    /// desired configuration, stores it as the next version and publishes it retained for the device.
    /// </summary>
    public async Task<Outcome<int>> PushConfigAsync(string id, IReadOnlyDictionary<string, int> values)
    {
        var device = await store.GetDeviceAsync(id);
        if (device == null)
        {
            return new(0, $"unknown device '{id}'", NotFound: true);
        }

        DeskConfig config = new();
        if (device.DesiredConfig != null)
        {
            config = ConfigMessage.Parse(device.DesiredConfig, out _) ?? config;
        }

        foreach (var (name, value) in values)
        {
            string? error = config.Set(name, value);
            if (error != null)
            {
                return new(0, error);
            }
        }

        string? invalid = config.Validate();
        if (invalid != null)
        {
            return new(0, invalid);
        }

        string document = "";
        int version = await store.SetDesiredConfigAsync(id, v =>
        {
            config.Version = v;
            return document = ConfigMessage.ToJson(config);
        });
        await publisher.PublishAsync(Topics.For(id, Topics.ConfigDesired), document, retain: true);
        return new(version, null);
    }

    public async Task<Outcome<long>> SendCommandAsync(string id, string command)
    {
        if (Kuulo.Core.DeskInput.FromCommand(command) == 0)
        {
            return new(0, $"unknown command '{command}'");
        }

        if (await store.GetDeviceAsync(id) == null)
        {
            return new(0, $"unknown device '{id}'", NotFound: true);
        }

        var message = new CommandMessage { Id = clock.GetUtcNow().ToUnixTimeMilliseconds(), Command = command };
        await publisher.PublishAsync(Topics.For(id, Topics.Command), message.ToJson(), retain: false);
        return new(message.Id, null);
    }

    private static string Pick(string? given, string current) => string.IsNullOrWhiteSpace(given) ? current : given.Trim();

    private static string? Missing(params (string Name, string Value)[] fields) =>
        fields.Where(f => string.IsNullOrWhiteSpace(f.Value)).Select(f => $"'{f.Name}' is required").FirstOrDefault();
}
