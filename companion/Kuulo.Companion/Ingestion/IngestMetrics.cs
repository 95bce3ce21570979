namespace Kuulo.Companion.Ingestion;

/// <summary>Counters for /metrics; updated from the ingestion path without locks.</summary>
public sealed class IngestMetrics
{
    private long _received;
    private long _stored;
    private long _duplicates;
    private long _rejected;
    private long _batches;
    private long _brokerOvershoots;
    private InFlightLimit? _brokerWindow;
    private int _brokerWindowPeak;

    public long Received => Interlocked.Read(ref _received);
    public long Stored => Interlocked.Read(ref _stored);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>PUBLISHes an external broker sent beyond the Receive Maximum (the companion stopped reading meanwhile).</summary>
    public long BrokerOvershoots => Interlocked.Read(ref _brokerOvershoots);

    /// <summary>The current external broker connection's unacknowledged messages (null with the embedded broker).</summary>
    public InFlightLimit? BrokerWindow => _brokerWindow;

    /// <summary>Most unacknowledged messages any external broker connection of this process has held.</summary>
    public int BrokerWindowPeak => Math.Max(_brokerWindowPeak, _brokerWindow?.PeakMessages ?? 0);

    /// <summary>Whether ingestion is connected to its broker (always true for the embedded one).</summary>
    public bool BrokerConnected { get; set; } = true;

    public void CountReceived() => Interlocked.Increment(ref _received);
    public void CountRejected() => Interlocked.Increment(ref _rejected);
    public void CountBrokerOvershoot() => Interlocked.Increment(ref _brokerOvershoots);

    /// <summary>A new broker connection starts its own window; the peak carries over.</summary>
    public void UseBrokerWindow(InFlightLimit window)
    {
        _brokerWindowPeak = BrokerWindowPeak;
        _brokerWindow = window;
    }

    public void CountBatch(int stored, int duplicates)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _stored, stored);
        Interlocked.Add(ref _duplicates, duplicates);
    }
}
