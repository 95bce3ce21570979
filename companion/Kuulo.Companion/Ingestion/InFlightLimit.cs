namespace Kuulo.Companion.Ingestion;

/// <summary>
/// Room for messages in flight, counted in messages and in bytes. Whoever takes room waits, first come first
/// served, until there is enough: that wait is the push-back that keeps the companion's memory bounded whatever
/// arrives, because the waiting receiver stops taking messages off its connection.
/// </summary>
public sealed class InFlightLimit(int maxMessages, long maxBytes)
{
    private readonly object _lock = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Granted)> _waiting = new();
    private int _messages;
    private long _bytes;
    private int _peakMessages;
    private long _peakBytes;

    public int MaxMessages => maxMessages;
    public long MaxBytes => maxBytes;

    public int Messages { get { lock (_lock) { return _messages; } } }
    public long Bytes { get { lock (_lock) { return _bytes; } } }
    public int PeakMessages { get { lock (_lock) { return _peakMessages; } } }
    public long PeakBytes { get { lock (_lock) { return _peakBytes; } } }

    /// <summary>Receivers waiting for room right now: non-zero while the limit is pushing back.</summary>
    public int Waiting { get { lock (_lock) { return _waiting.Count; } } }

    /// <summary>Takes room for one message of <paramref name="bytes"/>, waiting behind earlier takers until it fits.</summary>
    public Task EnterAsync(long bytes, CancellationToken cancellationToken)
    {
        LinkedListNode<(long Bytes, TaskCompletionSource Granted)> node;
        lock (_lock)
        {
            if (_waiting.Count == 0 && Fits(bytes))
            {
                Take(bytes);
                return Task.CompletedTask;
            }

            node = _waiting.AddLast((bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }

        return WaitAsync(node, cancellationToken);
    }

    /// <summary>Gives back what <see cref="EnterAsync"/> took, and lets waiting takers in.</summary>
    public void Release(long bytes)
    {
        lock (_lock)
        {
            _messages--;
            _bytes -= bytes;
            GrantWaiting();
        }
    }

    private async Task WaitAsync(LinkedListNode<(long Bytes, TaskCompletionSource Granted)> node, CancellationToken cancellationToken)
    {
        await using var _ = cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                // Still waiting (not granted): leave the line. A granted taker keeps its room and gives it back as usual.
                if (node.List != null)
                {
                    _waiting.Remove(node);
                    node.Value.Granted.TrySetCanceled(cancellationToken);
                    GrantWaiting();
                }
            }
        });
        await node.Value.Granted.Task;
    }

    private void GrantWaiting()
    {
        while (_waiting.First is { } first && Fits(first.Value.Bytes))
        {
            _waiting.RemoveFirst();
            Take(first.Value.Bytes);
            first.Value.Granted.TrySetResult();
        }
    }

    // A message larger than the byte limit still passes when nothing else is in flight, so it cannot wait forever.
    private bool Fits(long bytes) => _messages < maxMessages && (_bytes + bytes <= maxBytes || _messages == 0);

    private void Take(long bytes)
    {
        _messages++;
        _bytes += bytes;
        _peakMessages = Math.Max(_peakMessages, _messages);
        _peakBytes = Math.Max(_peakBytes, _bytes);
    }
}
