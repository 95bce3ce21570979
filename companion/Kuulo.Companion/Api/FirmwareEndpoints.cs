using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kuulo.Companion.Auth;
using Kuulo.Companion.Options;
using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;
using Kuulo.Core.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Api;

/// <summary>
/// /api/firmware: signed images and staged rollouts, for facilities; /firmware/{sha256}.bin: the image download,
/// for devices with their own credentials.
/// </summary>
public static class FirmwareEndpoints
{
    public sealed record RolloutRequest(string? Version, string? Scope, string? Name, int? CanaryPercent);

    public static void MapFirmwareApi(this WebApplication app)
    {
        var firmware = app.MapGroup("/api/firmware").WithTags("firmware").RequireAuthorization(Roles.ManageDevices);

        // Body: the image bytes. Headers: Kuulo-Firmware-Version, Kuulo-Firmware-Signature (base64, over OtaOffer.Manifest).
        firmware.MapPost("/images", async (HttpContext context, FirmwareRollouts rollouts, IOptions<KuuloOptions> options) =>
        {
            int max = options.Value.Fleet.MaxImageBytes;
            context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = max + 1;
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var outcome = await rollouts.UploadAsync(context.Request.Headers["Kuulo-Firmware-Version"], context.Request.Headers["Kuulo-Firmware-Signature"], body.ToArray());
            return outcome.Error == null ? Results.Created($"/api/firmware/images", outcome.Value)
                : Results.Problem(outcome.Error, statusCode: outcome.Error.Contains("already") ? 409 : 400);
        });

        firmware.MapGet("/images", async (FleetStore fleet) => Results.Ok(await fleet.ListImagesAsync()));

        firmware.MapPost("/rollouts", async (RolloutRequest r, FirmwareRollouts rollouts) =>
        {
            string scope = r.Scope ?? ConfigLayers.Fleet;
            if (!FleetConfig.IsGroupScope(scope))
            {
                return Results.Problem($"unknown group scope '{scope}'; use fleet, site or team", statusCode: 400);
            }

            var outcome = await rollouts.StartAsync(r.Version, scope, scope == ConfigLayers.Fleet ? "" : r.Name ?? "", r.CanaryPercent ?? 10);
            return outcome.Error == null ? Results.Created($"/api/firmware/rollouts/{outcome.Value!.Rollout.Id}", outcome.Value)
                : Results.Problem(outcome.Error, statusCode: 400);
        });

        firmware.MapGet("/rollouts", async (FleetStore fleet) => Results.Ok(await fleet.ListRolloutsAsync()));

        firmware.MapGet("/rollouts/{id:long}", async (long id, FirmwareRollouts rollouts) =>
            await rollouts.StatusAsync(id) is { } status ? Results.Ok(status) : Results.Problem($"unknown rollout {id}", statusCode: 404));

        firmware.MapPost("/rollouts/{id:long}/advance", async (long id, FirmwareRollouts rollouts) => Moved(await rollouts.AdvanceAsync(id)));
        firmware.MapPost("/rollouts/{id:long}/abort", async (long id, FirmwareRollouts rollouts) => Moved(await rollouts.AbortAsync(id)));

        // Devices sign in with their MQTT credentials (HTTP Basic); guessing is throttled like MQTT sign-in.
        app.MapGet("/firmware/{file}", async (string file, HttpContext context, DeviceDirectory devices, SignInThrottle throttle, FleetStore fleet) =>
        {
            string address = context.Connection.RemoteIpAddress?.ToString() ?? "";
            var (user, password) = BasicCredentials(context.Request);
            if (throttle.IsBlocked("firmware", user, address))
            {
                return Results.Problem("too many failed sign-ins", statusCode: 429);
            }

            var device = Topics.IsValidDeviceId(user) ? await devices.FindAsync(user) : null;
            if (!PasswordHash.Verify(password, device is { Disabled: false } ? device.PasswordHash : null))
            {
                throttle.Failed("firmware", user, address);
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"kuulo-firmware\"";
                return Results.StatusCode((int)HttpStatusCode.Unauthorized);
            }

            string sha = file.EndsWith(".bin", StringComparison.Ordinal) ? file[..^4] : "";
            var image = sha.Length == OtaOffer.HashHexLength ? await fleet.ImageBytesAsync(sha) : null;
            return image == null ? Results.NotFound() : Results.Bytes(image, "application/octet-stream");
        }).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>The answer to advancing or aborting a rollout: its new status, or why it could not move (404 unknown, 409 not now).</summary>
    private static IResult Moved(DeviceRegistry.Outcome<FirmwareRollouts.RolloutStatus> outcome) =>
        outcome.Error == null ? Results.Ok(outcome.Value) : Results.Problem(outcome.Error, statusCode: outcome.NotFound ? 404 : 409);

    private static (string User, string Password) BasicCredentials(HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header.Scheme == "Basic" && header.Parameter != null)
        {
            try
            {
                string text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
                int colon = text.IndexOf(':');
                if (colon > 0)
                {
                    return (text[..colon], text[(colon + 1)..]);
                }
            }
            catch (FormatException)
            {
            }
        }

        return ("", "");
    }
}
