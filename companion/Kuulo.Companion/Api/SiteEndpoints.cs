using Kuulo.Companion.Auth;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Api;

/// <summary>/api/sites: each site's time zone, in which its days, weeks and months are counted; and /api/info.</summary>
public static class SiteEndpoints
{
    public sealed record Site(string Name, string TimeZone);

    public sealed record SiteZone(string? TimeZone);

    public sealed record Info(string DefaultTimeZone, double ReplaySpeed);

    public static void MapSiteApi(this WebApplication app)
    {
        app.MapGet("/api/sites", async (SqlStore store) => (await store.ListSitesAsync()).Select(s => new Site(s.Name, s.TimeZone)))
            .WithTags("sites").RequireAuthorization(Roles.SignedIn)
            .WithSummary("Every site and the IANA time zone its days are counted in").Produces<IEnumerable<Site>>();

        app.MapPut("/api/sites/{name}", async (string name, SiteZone body, SqlStore store) =>
        {
            var zone = LocalDays.Zone(body.TimeZone, out var error);
            if (zone == null || string.IsNullOrWhiteSpace(name) || name.Length > 200)
            {
                return Results.Problem(error ?? "a site name is 1-200 characters", statusCode: 400);
            }

            // The site's rollups are recounted in the new zone in the same transaction.
            await store.SetSiteZoneAsync(name, zone.Id);
            return Results.Ok(new Site(name, zone.Id));
        }).WithTags("sites").RequireAuthorization(Roles.ManageDevices)
            .WithSummary("Set a site's IANA time zone; its daily figures are recounted in that zone").Produces<Site>().ProducesProblem(400);

        app.MapGet("/api/info", (SqlStore store, IOptions<KuuloOptions> options) => new Info(store.DefaultZone.Id, options.Value.ReplaySpeed))
            .WithTags("sites").RequireAuthorization(Roles.SignedIn)
            .WithSummary("The default time zone, and whether desks replay recordings faster than real time (demo)").Produces<Info>();
    }
}
