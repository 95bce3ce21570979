using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Kuulo.Core.Protocol;

namespace Kuulo.Desk.Unit;

/// <summary>
/// The host unit's firmware update, doing what the device does (firmware README, "Firmware updates"): check the
/// offer's signature with the release key before downloading, check the download's size and SHA-256, install, boot,
/// and report each step. "Installing" here is keeping the image and running as its version from then on; a unit
/// started with <see cref="UnitOptions.SimulateFailedBoot"/> stands for a device whose new image never confirms its
/// boot, so it falls back and says so.
/// </summary>
public sealed class OtaInstaller
{
    private readonly UnitOptions _options;
    private readonly string _runningPath;
    private readonly string _lastPath;

    public OtaInstaller(UnitOptions options)
    {
        _options = options;
        Directory.CreateDirectory(options.DataDirectory);
        _runningPath = Path.Combine(options.DataDirectory, "firmware.txt");
        _lastPath = Path.Combine(options.DataDirectory, "ota-last.json");
        Running = File.Exists(_runningPath) ? File.ReadAllText(_runningPath).Trim() : options.Firmware;
    }

    /// <summary>The firmware version this unit runs, as its status reports it.</summary>
    public string Running { get; private set; }

    /// <summary>Handles a (retained) offer and reports through <paramref name="report"/>; an offer already settled is only reported again.</summary>
    public async Task HandleAsync(string json, Func<OtaReport, Task> report, CancellationToken cancellationToken)
    {
        if (json.Length == 0)
        {
            return;
        }

        var offer = OtaOffer.Parse(json, out var error);
        if (offer == null)
        {
            throw new InvalidDataException("firmware offer refused: " + error);
        }

        OtaReport Say(string state, string? problem = null) => new()
        {
            Rollout = offer.Rollout, FirmwareVersion = offer.FirmwareVersion, State = state, Running = Running, Error = problem,
        };

        if (offer.FirmwareVersion == Running)
        {
            await report(Say(OtaReport.Installed));
            return;
        }

        // A refused or fallen-back offer is not tried again at every reconnect: the companion needs a new rollout.
        if (File.Exists(_lastPath) && OtaReport.Parse(File.ReadAllText(_lastPath), out _) is { } last
            && last.Rollout == offer.Rollout && last.FirmwareVersion == offer.FirmwareVersion)
        {
            await report(last);
            return;
        }

        var outcome = await InstallAsync(offer, report, Say, cancellationToken);
        File.WriteAllText(_lastPath, outcome.ToJson());
        await report(outcome);
    }

    private async Task<OtaReport> InstallAsync(OtaOffer offer, Func<OtaReport, Task> report, Func<string, string?, OtaReport> say, CancellationToken cancellationToken)
    {
        if (Verify(offer) is { } refused)
        {
            return say(OtaReport.Failed, refused);
        }

        await report(say(OtaReport.Downloading, null));
        byte[] image;
        try
        {
            image = await DownloadAsync(offer, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidDataException or TaskCanceledException)
        {
            return say(OtaReport.Failed, "download failed: " + ex.Message);
        }

        if (image.Length != offer.Size)
        {
            return say(OtaReport.Failed, $"the image is {image.Length} bytes, the signed offer says {offer.Size}");
        }

        if (Convert.ToHexStringLower(SHA256.HashData(image)) != offer.Sha256)
        {
            return say(OtaReport.Failed, "the image's SHA-256 does not match the signed offer");
        }

        // Written to the inactive slot; only a boot that confirms itself makes it the running version.
        File.WriteAllBytes(Path.Combine(_options.DataDirectory, "firmware-next.bin"), image);
        if (_options.SimulateFailedBoot)
        {
            return say(OtaReport.RolledBack, $"{offer.FirmwareVersion} did not confirm its boot; back on {Running}");
        }

        Running = offer.FirmwareVersion;
        File.WriteAllText(_runningPath, Running);
        return say(OtaReport.Installed, null);
    }

    /// <summary>Null when the offer carries the release key's signature over its manifest, else why not.</summary>
    private string? Verify(OtaOffer offer)
    {
        if (_options.FirmwareKey == null)
        {
            return "this unit has no release key, so it accepts no firmware";
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(offer.Signature);
        }
        catch (FormatException)
        {
            return "the signature is not base64";
        }

        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(_options.FirmwareKey), out _);
        byte[] manifest = Encoding.UTF8.GetBytes(OtaOffer.Manifest(offer.FirmwareVersion, offer.Size, offer.Sha256));
        return signature.Length == 64 && key.VerifyData(manifest, signature, HashAlgorithmName.SHA256)
            ? null
            : "the signature does not match the release key";
    }

    private async Task<byte[]> DownloadAsync(OtaOffer offer, CancellationToken cancellationToken)
    {
        if (_options.CompanionUrl == null)
        {
            throw new InvalidDataException("no companion URL configured");
        }

        using var http = new HttpClient { BaseAddress = new Uri(_options.CompanionUrl), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(_options.DeviceId + ":" + _options.Password)));
        using var response = await http.GetAsync(offer.Path, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        // Never more than the signed size plus one byte, whatever the server sends.
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[offer.Size + 1];
        int total = 0, read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return buffer[..total];
    }
}
