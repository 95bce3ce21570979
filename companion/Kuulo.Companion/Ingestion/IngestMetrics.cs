namespace Kuulo.Companion.Ingestion;

/// <summary>Counters for /metrics; updated from the ingestion path without locks.</summary>
public sealed class IngestMetrics
{
    private long _received;
    private long _stored;
    private long _duplicates;
    private long _rejected;
    private long _batches;
    private long _deadLettersDropped;

    public long Received => Interlocked.Read(ref _received);
    public long Stored => Interlocked.Read(ref _stored);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Batches => Interlocked.Read(ref _batches);
    public long DeadLettersDropped => Interlocked.Read(ref _deadLettersDropped);

    /// <summary>Whether ingestion is connected to its broker (always true for the embedded one).</summary>
    public bool BrokerConnected { get; set; } = true;

    public void CountReceived() => Interlocked.Increment(ref _received);
    public void CountRejected() => Interlocked.Increment(ref _rejected);
    public void CountDeadLetterDropped() => Interlocked.Increment(ref _deadLettersDropped);

    public void CountBatch(int stored, int duplicates)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _stored, stored);
        Interlocked.Add(ref _duplicates, duplicates);
    }
}
