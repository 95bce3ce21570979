using Kuulo.Desk.Unit;

namespace Kuulo.Desk.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuulo-outbox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void OldestFirstAndRemovedOnlyWhenAcknowledged()
    {
        var box = new Outbox(_dir, 10);
        box.Enqueue("call", seq => $"a{seq}");
        box.Enqueue("alert", seq => $"b{seq}");
        Assert.Equal((1L, "call", "a1"), box.Peek());
        Assert.Equal((1L, "call", "a1"), box.Peek());
        box.Remove(1);
        Assert.Equal((2L, "alert", "b2"), box.Peek());
    }

    [Fact]
    public void FullQueueDropsTheOldestAndCountsIt()
    {
        var box = new Outbox(_dir, 3);
        for (int i = 0; i < 5; i++)
        {
            box.Enqueue("call", seq => "m" + seq);
        }

        Assert.Equal(3, box.Count);
        Assert.Equal(2, box.Dropped);
        Assert.Equal(3L, box.Peek()!.Value.Seq);
    }

    [Fact]
    public void RestartKeepsMessagesCountersAndNeverReusesASequenceNumber()
    {
        var box = new Outbox(_dir, 3);
        for (int i = 0; i < 4; i++)
        {
            box.Enqueue("call", seq => "m" + seq);
        }

        box.Remove(box.Peek()!.Value.Seq);
        box.CountCall();
        File.WriteAllText(Path.Combine(_dir, "000000000099.msg.tmp"), "half written");

        var again = new Outbox(_dir, 3);
        Assert.Equal(2, again.Count);
        Assert.Equal(1, again.Dropped);
        Assert.Equal(1, again.CallsStarted);
        Assert.Equal(5L, again.Enqueue("call", seq => "m" + seq));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }
}
