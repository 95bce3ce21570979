using Kuulo.Core.Config;
using Kuulo.Core.Protocol;

namespace Kuulo.Core.Tests;

public class ProtocolTests
{
    [Fact]
    public void CallSummaryRoundTrips()
    {
        var s = new CallSummary
        {
            Seq = 7, CallNumber = 3, StartUnixMs = 1_700_000_000_000, ConfigVersion = 2, DurationMs = 90_000,
            AgentTalkMs = 30_000, CustomerTalkMs = 40_000, OverlapMs = 1_200, Interruptions = 2, Backchannels = 5,
            ResponseGapCount = 4, ResponseGapMedianMs = 640, TalkRatioPerMille = 428,
        };
        var back = CallSummary.Parse(s.ToJson(), out var error);
        Assert.Null(error);
        Assert.Equal(s.ToJson(), back!.ToJson());
    }

    [Theory]
    [InlineData("{\"v\":1,\"seq\":1}", "'call' is missing")]
    [InlineData("not json", "expected '{'")]
    [InlineData("{\"v\":1,\"seq\":1,\"x\":{}}", "nested")]
    [InlineData("{\"v\":2}", "protocol version 2")]
    public void BadCallSummariesSayWhy(string json, string reason)
    {
        Assert.Null(CallSummary.Parse(json, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void ConfigRejectsOutOfRangeValuesByName()
    {
        var json = "{\"v\":1,\"ver\":3,\"dead_air_first_ms\":500}";
        Assert.Null(ConfigMessage.Parse(json, out var error));
        Assert.Contains("dead_air_first_ms must be between 1000 and 60000", error);
    }

    [Fact]
    public void ConfigRoundTrips()
    {
        var c = new DeskConfig { Version = 9 };
        Assert.Null(c.Set("monologue_ms", 90_000));
        var back = ConfigMessage.Parse(ConfigMessage.ToJson(c), out var error);
        Assert.Null(error);
        Assert.Equal(90_000, back!.MonologueMs);
        Assert.Equal(9, back.Version);
    }

    [Theory]
    [InlineData("kuulo/v1/desk-01/call", "desk-01", "call")]
    [InlineData("kuulo/v1/desk-01/config/reported", "desk-01", "config/reported")]
    public void TopicsParse(string topic, string device, string leaf)
    {
        Assert.True(Topics.TryParse(topic, out var d, out var l));
        Assert.Equal(device, d);
        Assert.Equal(leaf, l);
    }

    [Theory]
    [InlineData("kuulo/v1/Desk 01/call")]
    [InlineData("kuulo/v1/desk-01/other")]
    [InlineData("other/v1/desk-01/call")]
    public void ForeignTopicsAreRejected(string topic) => Assert.False(Topics.TryParse(topic, out _, out _));
}
