using System.Text.Json;

namespace Kuulo.Desk.Unit;

/// <summary>
/// The desk's offline queue, as the device keeps it in flash: one file per message, written atomically, oldest
/// first, at most <see cref="Capacity"/> messages. A sequence number is taken (and the counter persisted) when a
/// message is queued, so it is never reused, even across restarts. When full, the oldest message is dropped and
/// the drop counted. A message leaves the queue only when the broker has acknowledged it.
/// </summary>
public sealed class Outbox
{
    private readonly string _dir;
    private readonly object _lock = new();
    private readonly SortedDictionary<long, string> _files = new();
    private State _state;

    public Outbox(string directory, int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), "the queue must hold at least one message");
        }

        _dir = directory;
        Capacity = capacity;
        Directory.CreateDirectory(directory);
        _state = File.Exists(StatePath) ? JsonSerializer.Deserialize<State>(File.ReadAllText(StatePath)) ?? new State() : new State();
        foreach (var file in Directory.GetFiles(directory, "*.msg"))
        {
            if (long.TryParse(Path.GetFileNameWithoutExtension(file), out long seq))
            {
                _files[seq] = file;
                _state.NextSeq = Math.Max(_state.NextSeq, seq + 1);
            }
        }

        // Half-written messages from a crash are not messages.
        foreach (var temp in Directory.GetFiles(directory, "*.tmp"))
        {
            File.Delete(temp);
        }
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _files.Count;
            }
        }
    }

    /// <summary>Messages dropped because the queue was full, since the unit was first started.</summary>
    public int Dropped
    {
        get
        {
            lock (_lock)
            {
                return _state.Dropped;
            }
        }
    }

    /// <summary>Calls counted so far, so call numbers keep rising across restarts.</summary>
    public int CallsStarted
    {
        get
        {
            lock (_lock)
            {
                return _state.Calls;
            }
        }
    }

    public void CountCall()
    {
        lock (_lock)
        {
            _state.Calls++;
            SaveState();
        }
    }

    /// <summary>Queues a message built for the sequence number it is given; returns that number.</summary>
    public long Enqueue(string leaf, Func<long, string> payloadForSeq)
    {
        lock (_lock)
        {
            long seq = _state.NextSeq++;
            SaveState();
            string path = Path.Combine(_dir, $"{seq:D12}.msg");
            WriteAtomically(path, leaf + "\n" + payloadForSeq(seq));
            _files[seq] = path;
            while (_files.Count > Capacity)
            {
                long oldest = _files.Keys.First();
                File.Delete(_files[oldest]);
                _files.Remove(oldest);
                _state.Dropped++;
                SaveState();
            }

            return seq;
        }
    }

    /// <summary>The oldest queued message, or null.</summary>
    public (long Seq, string Leaf, string Payload)? Peek()
    {
        lock (_lock)
        {
            if (_files.Count == 0)
            {
                return null;
            }

            var (seq, path) = _files.First();
            string text = File.ReadAllText(path);
            int newline = text.IndexOf('\n');
            return (seq, text[..newline], text[(newline + 1)..]);
        }
    }

    /// <summary>The broker acknowledged <paramref name="seq"/>.</summary>
    public void Remove(long seq)
    {
        lock (_lock)
        {
            if (_files.Remove(seq, out var path))
            {
                File.Delete(path);
            }
        }
    }

    private string StatePath => Path.Combine(_dir, "state.json");

    private void SaveState() => WriteAtomically(StatePath, JsonSerializer.Serialize(_state));

    private static void WriteAtomically(string path, string text)
    {
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private sealed class State
    {
        public long NextSeq { get; set; } = 1;
        public int Dropped { get; set; }
        public int Calls { get; set; }
    }
}
