using Kuulo.Core.Protocol;

namespace Kuulo.Core.Tests;

public class JsonTests
{
    [Fact]
    public void ReadsEscapesAndUnicode()
    {
        var obj = JsonReader.Parse("{\"a\":\"x\\\"y\\\\z\\n\\u00e4\", \"b\": -12, \"c\": true, \"d\": null}", out var error);
        Assert.Null(error);
        Assert.True(obj!.TryGetString("a", out var a));
        Assert.Equal("x\"y\\z\nä", a);
        Assert.True(obj.TryGetNumber("b", out var b));
        Assert.Equal(-12, b);
        Assert.True(obj.TryGetBool("c", out var c) && c);
        Assert.True(obj.Has("d"));
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", "duplicate key 'a'")]
    [InlineData("{\"a\":1.5}", "must be a whole number")]
    [InlineData("{\"a\":[1]}", "nested")]
    [InlineData("{\"a\":1} x", "text after")]
    [InlineData("{\"a\":\"open", "unterminated string")]
    [InlineData("{\"a\":99999999999999999999}", "too large")]
    [InlineData("{\"a\" 1}", "expected ':'")]
    [InlineData("", "unexpected end")]
    public void RejectsWithAReason(string json, string reason)
    {
        Assert.Null(JsonReader.Parse(json, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void WriterEscapesAndRoundTrips()
    {
        var json = new JsonWriter(4).Add("s", "q\"b\\n\n\t").Add("n", -5L).Add("b", false).Add("z", (string?)null).Finish();
        var obj = JsonReader.Parse(json, out var error);
        Assert.Null(error);
        Assert.True(obj!.TryGetString("s", out var s));
        Assert.Equal("q\"b\\n\n ", s);
    }

    [Fact]
    public void OversizedPayloadIsRejectedBeforeParsing()
    {
        var big = "{\"v\":1,\"pad\":\"" + new string('x', Topics.MaxPayloadBytes) + "\"}";
        Assert.Null(CallSummary.Parse(big, out var error));
        Assert.Contains("more than the 4096 allowed", error);
    }

    [Fact]
    public void AlertAndStatusAndCommandRoundTrip()
    {
        var alert = new AlertMessage { Seq = 3, CallNumber = 1, UnixMs = 5, AtMs = 9000, Type = Turns.EventType.DeadAir, Stage = 2 };
        Assert.Equal(alert.ToJson(), AlertMessage.Parse(alert.ToJson(), out _)!.ToJson());
        Assert.Null(AlertMessage.Parse(alert.ToJson().Replace("dead_air", "backchannel"), out var alertError));
        Assert.Contains("'type' must be", alertError);

        var status = new StatusMessage { Online = true, Firmware = "1.2.3", Rssi = -60, FreeHeapBytes = 1000, UptimeSeconds = 5, Queued = 2 };
        Assert.Equal(status.ToJson(), StatusMessage.Parse(status.ToJson(), out _)!.ToJson());
        Assert.False(StatusMessage.Parse(StatusMessage.OfflineJson(), out _)!.Online);

        var cmd = new CommandMessage { Id = 4, Command = CommandMessage.Hold };
        Assert.Equal(DeskInput.Hold, DeskInput.FromCommand(CommandMessage.Parse(cmd.ToJson(), out _)!.Command));
        Assert.Null(CommandMessage.Parse("{\"v\":1,\"id\":1,\"cmd\":\"reboot\"}", out var cmdError));
        Assert.Contains("unknown command 'reboot'", cmdError);

        var report = new ConfigReport { AppliedVersion = 3, RejectedVersion = 4, Error = "bad" };
        Assert.Equal(report.ToJson(), ConfigReport.Parse(report.ToJson(), out _)!.ToJson());
    }
}
