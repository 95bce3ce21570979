using System.Threading.Channels;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Ingestion;

/// <summary>
/// Turns a stream of single messages into batched transactions. <see cref="SubmitAsync"/> completes only once
/// the message is committed, so whoever acknowledges to the broker acknowledges something durable; meanwhile
/// thousands of devices share each transaction. A message holds room (<see cref="Room"/>, in messages and bytes)
/// from the moment it is queued until it is committed; a receiver that finds no room waits, and so pushes back.
/// </summary>
public sealed class IngestPipeline : BackgroundService
{
    private readonly Channel<(IngestItem Item, long Bytes, TaskCompletionSource Done)> _queue;
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
        Room = new InFlightLimit(options.Value.IngestMaxPendingMessages, options.Value.IngestMaxPendingBytes);
        // The room already bounds the queue; the channel's own bound only makes that visible.
        _queue = Channel.CreateBounded<(IngestItem, long, TaskCompletionSource)>(
            new BoundedChannelOptions(Room.MaxMessages) { SingleReader = true });
    }

    /// <summary>Messages waiting for the next transaction (the pipeline's depth).</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>Messages queued or being written, and their bytes; bounded by the configured limits.</summary>
    public InFlightLimit Room { get; }

    /// <summary>What a message weighs against the byte limits: its payload and its topic.</summary>
    public static long Weight(string? topic, long payloadBytes) => payloadBytes + (topic?.Length ?? 0);

    /// <summary>
    /// Waits for room, queues <paramref name="item"/> (<paramref name="bytes"/> is what its message weighs) and
    /// returns a task that completes when it is stored (or, for a duplicate, known to be stored already).
    /// </summary>
    public async Task<Task> EnqueueAsync(IngestItem item, long bytes, CancellationToken cancellationToken = default)
    {
        var entering = Room.EnterAsync(bytes, cancellationToken);
        if (!entering.IsCompleted)
        {
            _metrics.CountPushback();
        }

        await entering;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((item, bytes, done)))
        {
            Room.Release(bytes);
            throw new InvalidOperationException("the ingest queue is closed or fuller than its room; this is a bug");
        }

        return done.Task;
    }

    /// <summary>Waits for room, queues <paramref name="item"/> and completes when it is stored.</summary>
    public async Task SubmitAsync(IngestItem item, long bytes, CancellationToken cancellationToken = default)
    {
        var stored = await EnqueueAsync(item, bytes, cancellationToken);
        await stored.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(IngestItem Item, long Bytes, TaskCompletionSource Done)>(_batchSize);
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

    private async Task WriteAsync(List<(IngestItem Item, long Bytes, TaskCompletionSource Done)> batch, CancellationToken stoppingToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var result = await _store.WriteBatchAsync(batch.Select(b => b.Item).ToList());
                _metrics.CountBatch(result.Inserted, result.Duplicates);
                foreach (var (_, bytes, done) in batch)
                {
                    Room.Release(bytes);
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
