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

    private long _brokerOvershoots;
    private InFlightLimit? _brokerWindow;
    private int _unacknowledgedPeak;
    private long _pushbacks;

    public long Received => Interlocked.Read(ref _received);
    public long Stored => Interlocked.Read(ref _stored);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Batches => Interlocked.Read(ref _batches);
    public long DeadLettersDropped => Interlocked.Read(ref _deadLettersDropped);

    /// <summary>PUBLISHes an external broker sent beyond the Receive Maximum (the companion stopped reading meanwhile).</summary>
    public long BrokerOvershoots => Interlocked.Read(ref _brokerOvershoots);

    /// <summary>The current external broker connection's unacknowledged messages (null with the embedded broker).</summary>
    public InFlightLimit? BrokerWindow => _brokerWindow;

    /// <summary>
    /// Most PUBLISHes read from an external broker's socket and not yet answered with a PUBACK, counted on the wire
    /// (apart from the window's own bookkeeping): at most the Receive Maximum, plus the one read while waiting for
    /// room, plus the one whose PUBACK is being written.
    /// </summary>
    public int UnacknowledgedPeak => Volatile.Read(ref _unacknowledgedPeak);

    /// <summary>Times a receiver had to wait for room: the push-back at work.</summary>
    public long Pushbacks => Interlocked.Read(ref _pushbacks);

    /// <summary>Whether ingestion is connected to its broker (always true for the embedded one).</summary>
    public bool BrokerConnected { get; set; } = true;

    public void CountReceived() => Interlocked.Increment(ref _received);
    public void CountRejected() => Interlocked.Increment(ref _rejected);
    public void CountDeadLetterDropped() => Interlocked.Increment(ref _deadLettersDropped);

    public void CountBrokerOvershoot() => Interlocked.Increment(ref _brokerOvershoots);

    public void CountPushback() => Interlocked.Increment(ref _pushbacks);

    public void UseBrokerWindow(InFlightLimit window) => _brokerWindow = window;

    public void NoteUnacknowledged(int count)
    {
        int peak;
        while (count > (peak = Volatile.Read(ref _unacknowledgedPeak)) && Interlocked.CompareExchange(ref _unacknowledgedPeak, count, peak) != peak)
        {
        }
    }

    public void CountBatch(int stored, int duplicates)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _stored, stored);
        Interlocked.Add(ref _duplicates, duplicates);
    }
}
