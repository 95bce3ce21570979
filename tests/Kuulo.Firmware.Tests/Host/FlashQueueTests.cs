using Kuulo.Core.Protocol;
using Kuulo.Firmware.Storage;

namespace Kuulo.Firmware.Tests.Host;

/// <summary>
/// The firmware's flash queue, compiled from its source, on a simulated drive whose power can fail after any
/// byte: what a unit meets in the field.
/// </summary>
[Collection(FlashCollection.Name)]
public sealed class FlashQueueTests : IDisposable
{
    private readonly string _root = System.IO.Directory.CreateTempSubdirectory("kuulo-flash-").FullName;

    public FlashQueueTests() => FlashDrive.Mount(_root);

    [Fact]
    public void PowerLostAtEveryFlashByteLosesNothingStoredAndResendsNothingAcknowledged()
    {
        // How many flash operations the whole scenario takes with the power on.
        var reference = new Ledger();
        Scenario(reference);
        long operations = FlashDrive.Operations;
        Assert.True(operations > 300, $"the scenario only wrote {operations} bytes");
        Assert.Equal(2, reference.Stored.Count - reference.Acknowledged.Count);

        for (long cut = 0; cut < operations; cut++)
        {
            FlashDrive.Mount(Fresh(cut));
            var ledger = new Ledger();
            FlashDrive.CutPowerAfter(cut);
            Assert.Throws<PowerCut>(() => Scenario(ledger));

            FlashDrive.PowerOn();
            var queue = new FlashQueue();
            var delivered = Drain(queue);
            foreach (var (seq, text) in ledger.Stored)
            {
                if (ledger.Acknowledged.Contains(seq))
                {
                    Assert.False(delivered.ContainsKey(seq), $"cut at {cut}: message {seq} was acknowledged but is sent again");
                }
                else
                {
                    Assert.True(delivered.TryGetValue(seq, out var got) && got == text, $"cut at {cut}: stored message {seq} was lost");
                }
            }

            // What is sent is whole, and numbers already used are never used again.
            Assert.All(delivered.Values, t => Assert.NotNull(JsonReader.Parse(t[(t.IndexOf('\n') + 1)..], out _)));
            long next = queue.Enqueue(Topics.Alert, null, Alert(99));
            var used = ledger.Stored.Select(m => m.Seq).Concat(delivered.Keys).ToList();
            Assert.True(used.Count == 0 || next > used.Max(), $"cut at {cut}: sequence {next} reused");
        }
    }

    [Fact]
    public void AFullQueueDropsTheOldestAndCountsThem()
    {
        var queue = new FlashQueue();
        for (int i = 1; i <= FlashQueue.Capacity + 5; i++)
        {
            queue.Enqueue(Topics.Alert, null, Alert(i));
        }

        Assert.Equal(FlashQueue.Capacity, queue.Count);
        Assert.Equal(5, queue.Dropped);
        queue.Peek(out long oldest);
        Assert.Equal(6, oldest);

        var reopened = new FlashQueue();
        Assert.Equal(5, reopened.Dropped);
        Assert.Equal(FlashQueue.Capacity, reopened.Count);
    }

    [Fact]
    public void AGarbledMessageIsDroppedAndCountedAndTheRestIsSent()
    {
        var queue = new FlashQueue();
        queue.Enqueue(Topics.Alert, null, Alert(1));
        queue.Enqueue(Topics.Alert, null, Alert(2));
        System.IO.File.WriteAllBytes(FlashDrive.HostPath(@"I:\kuulo\queue\1.msg"), [0xff, 0x00, 0x7b, 0x0a]);

        var reopened = new FlashQueue();
        var delivered = Drain(reopened);
        Assert.Equal([2L], delivered.Keys);
        Assert.Equal(1, reopened.Dropped);
    }

    [Fact]
    public void GarbledOrMissingCountersNeitherStopTheQueueNorReuseNumbers()
    {
        var queue = new FlashQueue();
        for (int i = 1; i <= 3; i++)
        {
            queue.Enqueue(Topics.Alert, null, Alert(i));
        }

        System.IO.File.WriteAllText(FlashDrive.HostPath(@"I:\kuulo\next"), "garbage");
        System.IO.File.WriteAllText(FlashDrive.HostPath(@"I:\kuulo\dropped"), "-7\n");
        var reopened = new FlashQueue();
        Assert.Equal(0, reopened.Dropped);
        Assert.Equal(4, reopened.Enqueue(Topics.Alert, null, Alert(4)));

        System.IO.File.Delete(FlashDrive.HostPath(@"I:\kuulo\next"));
        Assert.Equal(5, new FlashQueue().Enqueue(Topics.Alert, null, Alert(5)));
    }

    [Fact]
    public void AMissingQueueDirectoryIsCreated()
    {
        var queue = new FlashQueue();
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.Peek(out _));
        Assert.True(System.IO.Directory.Exists(FlashDrive.HostPath(@"I:\kuulo\queue")));
    }

    public void Dispose() => System.IO.Directory.Delete(_root, true);

    /// <summary>A unit's life: alerts and a call summary queued, some sent and acknowledged, then all, then more.</summary>
    private static void Scenario(Ledger ledger)
    {
        var queue = new FlashQueue();
        for (int i = 1; i <= 3; i++)
        {
            ledger.Store(queue, Alert(i));
        }

        ledger.Store(queue, null, Call());
        for (int i = 0; i < 2; i++)
        {
            queue.Peek(out long seq);
            queue.RemoveOldest();
            ledger.Acknowledged.Add(seq);
        }

        ledger.Store(queue, Alert(4));

        // Everything sent: now only the counter remembers which numbers were used.
        for (string text = queue.Peek(out long seq); text != null; text = queue.Peek(out seq))
        {
            queue.RemoveOldest();
            ledger.Acknowledged.Add(seq);
        }

        ledger.Store(queue, Alert(5));
        ledger.Store(queue, Alert(6));
    }

    private static Dictionary<long, string> Drain(FlashQueue queue)
    {
        var delivered = new Dictionary<long, string>();
        for (string text = queue.Peek(out long seq); text != null; text = queue.Peek(out seq))
        {
            Assert.True(delivered.TryAdd(seq, text), $"message {seq} delivered twice");
            queue.RemoveOldest();
        }

        return delivered;
    }

    private string Fresh(long cut)
    {
        string dir = Path.Combine(_root, "cut" + cut);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    private static AlertMessage Alert(int n) => new() { CallNumber = 1, UnixMs = 1_800_000_000_000 + n, AtMs = 1000 * n, Type = 1, Stage = 1 };

    private static CallSummary Call() => new() { CallNumber = 1, StartUnixMs = 1_800_000_000_000, DurationMs = 60_000 };

    /// <summary>What the scenario was told: messages stored (Enqueue returned) and acknowledgements done.</summary>
    private sealed class Ledger
    {
        public List<(long Seq, string Text)> Stored { get; } = new();
        public HashSet<long> Acknowledged { get; } = new();

        public void Store(FlashQueue queue, AlertMessage? alert, CallSummary? call = null)
        {
            long seq = call != null ? queue.Enqueue(Topics.Call, call, null) : queue.Enqueue(Topics.Alert, null, alert);
            Stored.Add((seq, (call != null ? Topics.Call : Topics.Alert) + "\n" + (call != null ? call.ToJson() : alert!.ToJson())));
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FlashCollection
{
    public const string Name = "flash drive I:";
}
