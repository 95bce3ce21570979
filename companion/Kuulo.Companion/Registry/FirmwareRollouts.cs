using System.Security.Cryptography;
using System.Text;
using Kuulo.Companion.Broker;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Registry;

/// <summary>
/// Firmware images and their staged rollouts. An image is accepted only with the release key's signature over its
/// manifest (<see cref="OtaOffer.Manifest"/>). A rollout targets the fleet, a site or a team: a canary share of its
/// desks is offered the image first; the rest only when every canary runs it. A canary that refuses the image or
/// falls back halts the rollout. Per desk: pending → offered → downloading → installed | failed | rolled_back, or
/// cancelled when the rollout is aborted before the desk started.
/// </summary>
public sealed class FirmwareRollouts(FleetStore fleet, SqlStore store, IDevicePublisher publisher, IOptions<KuuloOptions> options, TimeProvider clock)
{
    public const string Canary = "canary";
    public const string Rest = "rest";
    public const string Halted = "halted";
    public const string Done = "done";
    public const string Aborted = "aborted";

    public sealed record RolloutStatus(RolloutRecord Rollout, IReadOnlyDictionary<string, int> States, IReadOnlyList<RolloutDeviceRecord> Devices);

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<DeviceRegistry.Outcome<FirmwareImageRecord>> UploadAsync(string? version, string? signature, byte[] image)
    {
        var limits = options.Value.Fleet;
        if (limits.FirmwareSigningKey == null)
        {
            return new(null, "no release key is configured (Kuulo:Fleet:FirmwareSigningKey), so no image can be trusted");
        }

        if (string.IsNullOrWhiteSpace(version) || version.Length > OtaOffer.MaxVersionLength || version.Any(c => char.IsControl(c) || c == '"' || c == '\\'))
        {
            return new(null, $"the version must be 1-{OtaOffer.MaxVersionLength} printable characters without quotes or backslashes");
        }

        if (image.Length == 0 || image.Length > limits.MaxImageBytes)
        {
            return new(null, $"the image is {image.Length} bytes; 1 to {limits.MaxImageBytes} are accepted");
        }

        string sha256 = Convert.ToHexStringLower(SHA256.HashData(image));
        byte[] sig;
        try
        {
            sig = Convert.FromBase64String(signature ?? "");
        }
        catch (FormatException)
        {
            return new(null, "the signature must be base64");
        }

        using var key = ReleaseKey(limits.FirmwareSigningKey);
        if (sig.Length != 64 || !key.VerifyData(Encoding.UTF8.GetBytes(OtaOffer.Manifest(version, image.Length, sha256)), sig, HashAlgorithmName.SHA256))
        {
            return new(null, "the signature does not match the release key for this version, size and SHA-256");
        }

        var record = new FirmwareImageRecord { Version = version, Sha256 = sha256, Size = image.Length, Signature = Convert.ToBase64String(sig), UploadedMs = Now };
        long? id = await fleet.AddImageAsync(record, image);
        if (id == null)
        {
            return new(null, $"version '{version}' was already uploaded");
        }

        record.Id = id.Value;
        return new(record, null);
    }

    /// <summary>A PEM public key, or base64 SubjectPublicKeyInfo (one line, easy to pass in an environment variable).</summary>
    public static ECDsa ReleaseKey(string text)
    {
        var key = ECDsa.Create();
        if (text.Contains("BEGIN", StringComparison.Ordinal))
        {
            key.ImportFromPem(text);
        }
        else
        {
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text), out _);
        }

        return key;
    }

    public async Task<DeviceRegistry.Outcome<RolloutStatus>> StartAsync(string? version, string scope, string name, int canaryPercent)
    {
        var image = (await fleet.ListImagesAsync()).FirstOrDefault(i => i.Version == version);
        if (image == null)
        {
            return new(null, $"no uploaded image has version '{version}'");
        }

        if (canaryPercent is < 1 or > 100)
        {
            return new(null, "the canary share must be 1 to 100 %");
        }

        var members = (await store.ListDevicesAsync()).Where(d => !d.Disabled && ConfigLayers.GroupOf(scope, d) == name)
            .OrderBy(d => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(d.Id)))).ToList();
        if (members.Count == 0)
        {
            return new(null, $"the {scope} group '{name}' has no enabled desks");
        }

        // At least one canary; the order is a hash of the id, so the canaries are a spread, not the first desks by name.
        int canaries = Math.Max(1, (int)Math.Ceiling(members.Count * canaryPercent / 100.0));
        var rollout = new RolloutRecord
        {
            ImageId = image.Id, Version = image.Version, Scope = scope, Name = name, CanaryPercent = canaryPercent,
            State = canaries == members.Count ? Rest : Canary, CreatedMs = Now,
        };
        var rows = members.Select((d, i) => new RolloutDeviceRecord { DeviceId = d.Id, Wave = i < canaries ? Canary : Rest, State = "pending", UpdatedMs = Now }).ToList();
        rollout.Id = await fleet.AddRolloutAsync(rollout, rows);
        await OfferAsync(rollout, image, rows.Where(r => r.Wave == Canary));
        return new(await StatusAsync(rollout.Id), null);
    }

    /// <summary>Offers the image to the rest of the group once every canary runs it.</summary>
    public async Task<DeviceRegistry.Outcome<RolloutStatus>> AdvanceAsync(long id)
    {
        var status = await StatusAsync(id);
        if (status == null)
        {
            return new(null, $"unknown rollout {id}", NotFound: true);
        }

        var canaries = status.Devices.Where(d => d.Wave == Canary).ToList();
        if (status.Rollout.State == Halted)
        {
            var bad = canaries.Where(d => d.State is OtaReport.Failed or OtaReport.RolledBack).Select(d => $"{d.DeviceId}: {d.State} ({d.Detail})");
            return new(null, "the rollout is halted: " + string.Join("; ", bad));
        }

        if (status.Rollout.State != Canary)
        {
            return new(null, $"the rollout is already past its canary stage ({status.Rollout.State})");
        }

        int installed = canaries.Count(d => d.State == OtaReport.Installed);
        if (installed < canaries.Count)
        {
            return new(null, $"{installed} of {canaries.Count} canary desks run {status.Rollout.Version} so far");
        }

        var image = (await fleet.ListImagesAsync()).First(i => i.Id == status.Rollout.ImageId);
        await fleet.SetRolloutStateAsync(id, Rest);
        await OfferAsync(status.Rollout, image, status.Devices.Where(d => d.Wave == Rest));
        return new(await StatusAsync(id), null);
    }

    /// <summary>
    /// Stops a rollout: desks that have not started on the image are cancelled and their retained offer is cleared,
    /// so they never see it. Desks already downloading or installing finish and keep reporting.
    /// </summary>
    public async Task<DeviceRegistry.Outcome<RolloutStatus>> AbortAsync(long id)
    {
        var status = await StatusAsync(id);
        if (status == null)
        {
            return new(null, $"unknown rollout {id}", NotFound: true);
        }

        if (status.Rollout.State is Aborted or Done)
        {
            return new(null, $"the rollout is already {status.Rollout.State}");
        }

        await fleet.SetRolloutStateAsync(id, Aborted);
        foreach (string deviceId in await fleet.CancelUnstartedAsync(id, Now))
        {
            // An empty retained message removes the retained offer; a desk ignores an empty offer.
            await publisher.PublishAsync(Topics.For(deviceId, Topics.OtaOffer), "", retain: true);
        }

        return new(await StatusAsync(id), null);
    }

    /// <summary>
    /// Publishes again the offers of running rollouts that desks have not answered yet: the embedded broker keeps
    /// retained messages in memory only, so after a restart a desk would otherwise never see its offer.
    /// </summary>
    public async Task<int> RepublishOffersAsync()
    {
        int offers = 0;
        var images = await fleet.ListImagesAsync();
        foreach (var rollout in (await fleet.ListRolloutsAsync()).Where(r => r.State is Canary or Rest))
        {
            var waiting = (await fleet.RolloutDevicesAsync(rollout.Id)).Where(d => d.State == "offered").ToList();
            if (waiting.Count > 0)
            {
                await OfferAsync(rollout, images.First(i => i.Id == rollout.ImageId), waiting);
                offers += waiting.Count;
            }
        }

        return offers;
    }

    public async Task<RolloutStatus?> StatusAsync(long id)
    {
        var rollout = await fleet.GetRolloutAsync(id);
        if (rollout == null)
        {
            return null;
        }

        var devices = await fleet.RolloutDevicesAsync(id);
        var states = new[] { "pending", "offered", OtaReport.Downloading, OtaReport.Installed, OtaReport.Failed, OtaReport.RolledBack, "cancelled" }
            .ToDictionary(s => s, s => devices.Count(d => d.State == s));
        if (rollout.State == Rest && states[OtaReport.Installed] == devices.Count)
        {
            rollout.State = Done;
        }

        return new RolloutStatus(rollout, states, devices);
    }

    private async Task OfferAsync(RolloutRecord rollout, FirmwareImageRecord image, IEnumerable<RolloutDeviceRecord> devices)
    {
        var offer = new OtaOffer
        {
            Rollout = rollout.Id, FirmwareVersion = image.Version, Size = image.Size, Sha256 = image.Sha256, Signature = image.Signature,
            Path = $"/firmware/{image.Sha256}.bin",
        };
        foreach (var device in devices)
        {
            await fleet.MarkOfferedAsync(rollout.Id, device.DeviceId, Now);
            await publisher.PublishAsync(Topics.For(device.DeviceId, Topics.OtaOffer), offer.ToJson(), retain: true);
        }
    }
}
