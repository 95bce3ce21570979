using Kuulo.Companion.Api;
using Kuulo.Companion.Auth;
using Kuulo.Companion.Broker;
using Kuulo.Companion.Ingestion;
using Kuulo.Companion.Options;
using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;

// Settings next to the program, wherever it is started from; relative data paths stay relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
// No request needs more than a few kilobytes; a bigger body is refused before anything reads it.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64 * 1024);
var section = builder.Configuration.GetSection("Kuulo");
var options = section.Get<KuuloOptions>() ?? new KuuloOptions();
builder.Services.AddOptions<KuuloOptions>().Bind(section).ValidateOnStart();
builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<KuuloOptions>, IngestOptionsValidation>();

// kuulo-companion --reset-password NAME...: a maintenance command, not the service.
if (args.FirstOrDefault() == GeneratedAccounts.ResetFlag)
{
    return GeneratedAccounts.Reset(options.DataDirectory, args[1..], Console.Out);
}

// Storage: SQLite in the data directory unless PostgreSQL is configured. The directory is its owner's alone.
DataDirectory.Prepare(options.DataDirectory);
string sqliteFile = Path.Combine(options.DataDirectory, "kuulo.db");
if (options.Database.Provider == "sqlite" && options.Database.ConnectionString == null)
{
    // Created owner-only before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
    DataDirectory.OwnerOnly(sqliteFile);
}

var dialect = options.Database.Provider switch
{
    "sqlite" => SqlDialect.Sqlite(options.Database.ConnectionString ?? $"Data Source={sqliteFile}"),
    "postgres" => SqlDialect.Postgres(options.Database.ConnectionString
        ?? throw new InvalidOperationException("Kuulo:Database:ConnectionString is required for postgres")),
    var other => throw new InvalidOperationException($"Kuulo:Database:Provider must be sqlite or postgres (got '{other}')"),
};
builder.Services.AddSingleton(dialect);
builder.Services.AddSingleton<SqlStore>();
builder.Services.AddSingleton(TimeProvider.System);

// Ingestion: the batch writer first, so it runs before the broker hands it messages.
builder.Services.AddSingleton<IngestMetrics>();
builder.Services.AddSingleton<IngestPipeline>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
builder.Services.AddSingleton<DeviceDirectory>();
builder.Services.AddSingleton<DeadLetterCap>();
builder.Services.AddSingleton<MessageValidator>();
builder.Services.AddHostedService<Housekeeping>();
if (options.Broker.Embedded)
{
    builder.Services.AddSingleton<EmbeddedBroker>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
    builder.Services.AddSingleton<IDevicePublisher>(sp => sp.GetRequiredService<EmbeddedBroker>());
    builder.Services.AddSingleton<IDeviceSessions>(sp => sp.GetRequiredService<EmbeddedBroker>());
    builder.Services.AddHostedService<RetainedRepublisher>();
}
else
{
    builder.Services.AddSingleton<ExternalBrokerIngestor>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<ExternalBrokerIngestor>());
    builder.Services.AddSingleton<IDevicePublisher>(sp => sp.GetRequiredService<ExternalBrokerIngestor>());
    builder.Services.AddSingleton<IDeviceSessions, ExternalBrokerSessions>();
}

builder.Services.AddSingleton<DeviceRegistry>();
builder.Services.AddSingleton<FleetStore>();
builder.Services.AddSingleton<FleetConfig>();
builder.Services.AddSingleton<BulkRegistration>();
builder.Services.AddSingleton<FirmwareRollouts>();
builder.Services.AddKuuloAuth();
builder.Services.AddOpenApi(OpenApiSetup.Configure);
builder.Services.AddKuuloProblems();

var app = builder.Build();
await app.Services.GetRequiredService<SqlStore>().MigrateAsync();
// Accounts are checked (or created) before anything listens, so bad user configuration stops the start.
app.Services.GetRequiredService<UserStore>();

app.UseKuuloProblems();

// The dashboard's files are static and hold no data; everything they show comes from the authorised API.
app.UseSecurityHeaders();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.MapOpenApi().RequireAuthorization(Roles.SignedIn);
app.MapAuthApi();
app.MapAdminApi();
app.MapDeviceApi();
app.MapGroupConfigApi();
app.MapInventoryApi();
app.MapProvisioningApi();
app.MapFirmwareApi();
app.MapStatsApi();
app.MapAgentApi();
app.MapSiteApi();
app.MapFallbackToFile("/login", "index.html");
app.Run();
return 0;

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
