using System.Text;
using Kuulo.Companion.Auth;
using Kuulo.Companion.Ingestion;
using Kuulo.Companion.Options;
using Kuulo.Companion.Registry;
using Kuulo.Companion.Storage;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Api;

/// <summary>Health, metrics, dead letters and broker exports.</summary>
public static class AdminEndpoints
{
    public static void MapAdminApi(this WebApplication app)
    {
        // The only endpoint open without a credential: load balancers and monitors poll it.
        app.MapGet("/health", async (SqlStore store) =>
        {
            try
            {
                await store.PingAsync();
                return Results.Ok(new { status = "ok" });
            }
            catch (Exception ex)
            {
                return Results.Problem("database unreachable: " + ex.Message, statusCode: 503);
            }
        }).WithTags("admin").WithSummary("Whether the database is reachable (no credential needed)").ProducesProblem(503);

        // Process counters only: no table is counted, so a scrape costs the same at any database size.
        app.MapGet("/metrics", (IngestMetrics m, IngestPipeline pipeline) =>
        {
            var text = new StringBuilder()
                .Append("# Kuulo companion metrics (Prometheus text format)\n")
                .Append($"kuulo_messages_received_total {m.Received}\n")
                .Append($"kuulo_messages_stored_total {m.Stored}\n")
                .Append($"kuulo_messages_duplicate_total {m.Duplicates}\n")
                .Append($"kuulo_messages_rejected_total {m.Rejected}\n")
                .Append($"kuulo_ingest_batches_total {m.Batches}\n")
                .Append($"kuulo_ingest_pending {pipeline.Pending}\n")
                .Append($"kuulo_ingest_in_flight_messages {pipeline.Room.Messages}\n")
                .Append($"kuulo_ingest_in_flight_bytes {pipeline.Room.Bytes}\n")
                .Append($"kuulo_ingest_in_flight_peak_messages {pipeline.Room.PeakMessages}\n")
                .Append($"kuulo_ingest_in_flight_peak_bytes {pipeline.Room.PeakBytes}\n")
                .Append($"kuulo_ingest_in_flight_limit_messages {pipeline.Room.MaxMessages}\n")
                .Append($"kuulo_ingest_in_flight_limit_bytes {pipeline.Room.MaxBytes}\n")
                .Append($"kuulo_ingest_waiting_receivers {pipeline.Room.Waiting}\n")
                .Append($"kuulo_ingest_pushbacks_total {m.Pushbacks}\n")
                .Append($"kuulo_broker_unacknowledged_messages {m.BrokerWindow?.Messages ?? 0}\n")
                .Append($"kuulo_broker_unacknowledged_bytes {m.BrokerWindow?.Bytes ?? 0}\n")
                .Append($"kuulo_broker_unacknowledged_peak_messages {m.UnacknowledgedPeak}\n")
                .Append($"kuulo_broker_receive_maximum_overshoot_total {m.BrokerOvershoots}\n")
                .Append($"kuulo_broker_connected {(m.BrokerConnected ? 1 : 0)}\n")
                .Append($"kuulo_dead_letters_dropped_total {m.DeadLettersDropped}\n")
                .Append($"kuulo_process_working_set_bytes {Environment.WorkingSet}\n")
                .Append($"kuulo_process_managed_heap_bytes {GC.GetTotalMemory(false)}\n");
            return Results.Text(text.ToString(), "text/plain; version=0.0.4");
        }).WithTags("admin").RequireAuthorization(Roles.SignedIn).WithSummary("Prometheus text: ingestion counters, queue, broker, memory")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain");

        var admin = app.MapGroup("/api/admin").WithTags("admin").RequireAuthorization(Roles.Administer);
        admin.MapGet("/dead-letters", async (SqlStore store, HttpRequest request, int? limit) =>
        {
            var rows = await store.DeadLettersAsync(Math.Clamp(limit ?? 200, 1, 10_000));
            return Csv.Wanted(request) ? Csv.File(rows, "dead-letters") : Results.Ok(rows);
        });
        admin.MapGet("/mosquitto/passwords", async (SqlStore store, IOptions<KuuloOptions> options) =>
            Results.Text(MosquittoExport.PasswordFile(await store.ListDevicesAsync(), options.Value.Broker), "text/plain"));
        admin.MapGet("/mosquitto/acl", (IOptions<KuuloOptions> options) =>
            Results.Text(MosquittoExport.AclFile(options.Value.Broker.Username), "text/plain"));
    }
}
