using System.Threading.Channels;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Ingestion;

/// <summary>
/// Turns a stream of single messages into batched transactions. <see cref="SubmitAsync"/> completes only once
/// the message is committed, so whoever acknowledges to the broker acknowledges something durable; meanwhile
/// thousands of devices share each transaction.
/// </summary>
public sealed class IngestPipeline : BackgroundService
{
    private readonly Channel<(IngestItem Item, TaskCompletionSource Done)> _queue =
        Channel.CreateBounded<(IngestItem, TaskCompletionSource)>(new BoundedChannelOptions(100_000) { SingleReader = true });
    private readonly SqlStore _store;
    private readonly IngestMetrics _metrics;
    private readonly ILogger<IngestPipeline> _log;
    private readonly int _batchSize;

    public IngestPipeline(SqlStore store, IngestMetrics metrics, IOptions<KuuloOptions> options, ILogger<IngestPipeline> log)
    {
        _store = store;
        _metrics = metrics;
        _log = log;
        _batchSize = options.Value.IngestBatchSize;
    }

    /// <summary>Messages waiting for the next transaction.</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>Completes when <paramref name="item"/> is stored (or, for a duplicate, known to be stored already).</summary>
    public async Task SubmitAsync(IngestItem item, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync((item, done), cancellationToken);
        await done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(IngestItem Item, TaskCompletionSource Done)>(_batchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < _batchSize && reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await WriteAsync(batch, stoppingToken);
        }
    }

    private async Task WriteAsync(List<(IngestItem Item, TaskCompletionSource Done)> batch, CancellationToken stoppingToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var result = await _store.WriteBatchAsync(batch.Select(b => b.Item).ToList());
                _metrics.CountBatch(result.Inserted, result.Duplicates);
                foreach (var (_, done) in batch)
                {
                    done.TrySetResult();
                }

                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database is unreachable or busy: nobody gets an acknowledgement until the batch is in.
                _log.LogWarning(ex, "Writing {Count} messages failed (attempt {Attempt}); retrying", batch.Count, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 100 * attempt)), stoppingToken);
            }
        }
    }
}
