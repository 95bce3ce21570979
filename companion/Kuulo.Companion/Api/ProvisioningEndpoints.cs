using System.Text;
using Kuulo.Companion.Auth;
using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>Bulk registration from a CSV and each desk's settings.json, for installers.</summary>
public static class ProvisioningEndpoints
{
    public static void MapProvisioningApi(this WebApplication app)
    {
        var devices = app.MapGroup("/api/devices").WithTags("devices").RequireAuthorization(Roles.ManageDevices);

        // Body: the CSV (text/csv). Answer: the credentials CSV (Accept: text/csv), or JSON with that CSV and each
        // desk's settings.json. Either way the passwords are in this answer only.
        devices.MapPost("/bulk", async (HttpRequest request, BulkRegistration bulk) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var result = await bulk.RegisterAsync(await reader.ReadToEndAsync());
            if (result.Devices == null)
            {
                return Results.Problem("nothing was registered: " + string.Join("; ", result.Errors.Take(20))
                    + (result.Errors.Count > 20 ? $"; and {result.Errors.Count - 20} more" : ""), statusCode: 400,
                    extensions: new Dictionary<string, object?> { ["errors"] = result.Errors });
            }

            string csv = BulkRegistration.CredentialsCsv(result.Devices);
            return request.Headers.Accept.ToString().Contains("text/csv")
                ? Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", "kuulo-credentials.csv")
                : Results.Ok(new { credentials = csv, devices = result.Devices.Select(d => new { d.Id, d.Settings }), errors = result.Errors });
        });

        // A registered desk's settings.json without its password (which only its registration or a rotation shows).
        devices.MapGet("/{id}/settings.json", async (string id, SqlStore store, BulkRegistration bulk) =>
            await store.GetDeviceAsync(id) == null
                ? Results.Problem($"unknown device '{id}'", statusCode: 404)
                : Results.File(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(bulk.Settings(id, ""))), "application/json", $"{id}.settings.json"));
    }
}
