using Kuulo.Companion.Broker;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Registry;

/// <summary>Provisioning, assignment, credentials and configuration of desk units.</summary>
public sealed class DeviceRegistry(SqlStore store, DeviceDirectory directory, IDevicePublisher publisher, IDeviceSessions sessions,
    FleetConfig fleetConfig, TimeProvider clock, IOptions<KuuloOptions> options)
{
    public const int MaxNameLength = 64;

    public sealed record Registration(string Id, string Password);

    /// <summary>A result or the reason it could not be had (bad input, unknown device).</summary>
    public readonly record struct Outcome<T>(T? Value, string? Error, bool NotFound = false);

    /// <summary>Why a registration with these values would be refused (other than a taken id), or null.</summary>
    public string? Check(string id, string site, string team, string desk, string agent)
    {
        if (!Topics.IsValidDeviceId(id))
        {
            return $"device id '{id}' must be 1-64 characters of a-z, 0-9, '-' and '_'";
        }

        if (ReservedNames.IsReserved(id, options.Value.Broker))
        {
            return $"device id '{id}' is reserved for the companion's own broker account";
        }

        return Invalid(required: true, ("site", site), ("team", team), ("desk", desk), ("agent", agent));
    }

    public async Task<Outcome<Registration>> RegisterAsync(string id, string site, string team, string desk, string agent)
    {
        string? invalid = Check(id, site, team, desk, agent);
        if (invalid != null)
        {
            return new(null, invalid);
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
        await sessions.DisconnectAsync(id, "its password was replaced");
        return new(new Registration(id, password), null);
    }

    /// <summary>A disabled device is disconnected, may not sign in, and its messages are dead-lettered; enabling undoes that.</summary>
    public async Task<Outcome<DeviceRecord>> SetEnabledAsync(string id, bool enabled)
    {
        if (!await store.SetDisabledAsync(id, !enabled))
        {
            return new(null, $"unknown device '{id}'", NotFound: true);
        }

        directory.Forget(id);
        if (!enabled)
        {
            await sessions.DisconnectAsync(id, "it was disabled");
        }
        else if (await store.GetDeviceAsync(id) is { } device)
        {
            // Group pushes pass disabled devices by; catch up with them now.
            await fleetConfig.RefreshAsync(device);
        }

        return new(await store.GetDeviceAsync(id), null);
    }

    /// <summary>Removes the device's registration, retained configuration and firmware offer and disconnects it; its stored calls stay.</summary>
    public async Task<Outcome<bool>> DeleteAsync(string id)
    {
        if (!await store.DeleteDeviceAsync(id))
        {
            return new(false, $"unknown device '{id}'", NotFound: true);
        }

        directory.Forget(id);
        await sessions.DisconnectAsync(id, "it was deleted");
        // An empty retained message clears the retained configuration, so a later device by this id starts clean.
        await publisher.PublishAsync(Topics.For(id, Topics.ConfigDesired), "", retain: true);
        await publisher.PublishAsync(Topics.For(id, Topics.OtaOffer), "", retain: true);
        return new(true, null);
    }

    public async Task<Outcome<DeviceRecord>> AssignAsync(string id, string? site, string? team, string? desk, string? agent)
    {
        string? invalid = Invalid(required: false, ("site", site), ("team", team), ("desk", desk), ("agent", agent));
        if (invalid != null)
        {
            return new(null, invalid);
        }

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
        // A new site or team brings other configuration layers.
        await fleetConfig.RefreshAsync(device);
        return new(await store.GetDeviceAsync(id), null);
    }

    public async Task<Outcome<long>> SendCommandAsync(string id, string command)
    {
        if (Kuulo.Core.DeskInput.FromCommand(command) == 0 && command != CommandMessage.Calibrate)
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

    /// <summary>
    /// Site, team, desk and agent are copied into every call row and shown on every page: trimmed, they must be
    /// 1-<see cref="MaxNameLength"/> printable characters. Blank ones are an error only when <paramref name="required"/>.
    /// </summary>
    private static string? Invalid(bool required, params (string Name, string? Value)[] fields)
    {
        foreach (var (name, value) in fields)
        {
            string text = value?.Trim() ?? "";
            if (text.Length == 0)
            {
                if (required)
                {
                    return $"'{name}' is required";
                }
            }
            else if (text.Length > MaxNameLength)
            {
                return $"'{name}' is {text.Length} characters long; at most {MaxNameLength} are allowed";
            }
            else if (text.Any(char.IsControl))
            {
                return $"'{name}' may only contain printable characters";
            }
        }

        return null;
    }
}
