using Kuulo.Desk.Evaluation;

namespace Kuulo.Desk.Tests;

public class BreakdownTests
{
    private static Dictionary<string, string> Conditions(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static string BucketOf(IReadOnlyDictionary<string, string>? conditions, string dimension) =>
        Breakdown.BucketsOf(conditions).Single(b => b.Dimension == dimension).Bucket;

    [Theory]
    [InlineData("0", "<5")]
    [InlineData("4.99", "<5")]
    [InlineData("5", "5-10")]
    [InlineData("9.9", "5-10")]
    [InlineData("10", "10-15")]
    [InlineData("15", "15+")]
    [InlineData("25", "15+")]
    [InlineData("-3", "<5")]
    [InlineData("loud", "unknown")]
    [InlineData("NaN", "unknown")]
    public void SnrIsBanded(string snr, string band) => Assert.Equal(band, Breakdown.SnrBand(snr));

    [Fact]
    public void WithoutConditionsEverythingIsUnknown()
    {
        Assert.All(Breakdown.BucketsOf(null), b => Assert.Equal("unknown", b.Bucket));
        Assert.Equal(Breakdown.Dimensions.Select(d => d.Dimension), Breakdown.BucketsOf(null).Select(b => b.Dimension));
        Assert.False(Breakdown.AtTargetSnr(null));
    }

    [Fact]
    public void AMissingKeyIsUnknownButAMissingSnrIsClean()
    {
        // The shared samples state echo and babble but no customer noise: a clean line, codec not said.
        var samples = Conditions(("echo_db", "-27.1"), ("babble_db", "-32.7"));
        Assert.Equal("clean", BucketOf(samples, "snr"));
        Assert.Equal("unknown", BucketOf(samples, "codec"));
        Assert.True(Breakdown.AtTargetSnr(samples));

        var line = Conditions(("customer_snr_db", "3.5"), ("codec", "gsm"), ("noise", "street"), ("reverb", "hard"), ("split", "heldout"), ("hold", "silence"), ("dc_offset", "both"));
        Assert.Equal(new[] { "<5", "gsm", "street", "hard", "heldout", "silence", "both" }, Breakdown.BucketsOf(line).Select(b => b.Bucket));
        Assert.False(Breakdown.AtTargetSnr(line));
    }

    [Fact]
    public void EachConversationCountsOnceInEveryDimension()
    {
        var breakdown = new Breakdown();
        breakdown.Add(Conditions(("customer_snr_db", "12"), ("codec", "ulaw")), new Score { Hours = 0.5, FalseAlerts = 1 });
        breakdown.Add(Conditions(("customer_snr_db", "2"), ("codec", "ulaw")), new Score { Hours = 0.5, FalseAlerts = 5 });
        breakdown.Add(null, new Score { Hours = 1 });

        var buckets = breakdown.Buckets.ToDictionary(b => b.Name, b => b.Bucket);
        Assert.Equal(2, buckets["codec=ulaw"].Conversations);
        Assert.Equal(6.0, buckets["codec=ulaw"].Score.FalseAlertsPerHour, 6);
        Assert.Equal(1, buckets["snr=<5"].Conversations);
        Assert.Equal(1, buckets["codec=unknown"].Conversations);
        foreach (var (dimension, _) in Breakdown.Dimensions)
        {
            Assert.Equal(3, breakdown.Buckets.Where(b => b.Name.StartsWith(dimension + "=", StringComparison.Ordinal)).Sum(b => b.Bucket.Conversations));
        }

        // SNR bands print low to high, whatever order they arrived in.
        var snr = breakdown.Buckets.Select(b => b.Name).Where(n => n.StartsWith("snr=", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "snr=<5", "snr=10-15", "snr=unknown" }, snr);
    }

    [Fact]
    public void WorstPicksTheLowestF1AndTheHighestRate()
    {
        var breakdown = new Breakdown();
        var good = new Score { Hours = 1, FalseAlerts = 1 };
        good.Events["interruption"].TruePositives = 9;
        good.Events["interruption"].FalseNegatives = 1;
        var bad = new Score { Hours = 1, FalseAlerts = 7 };
        bad.Events["interruption"].TruePositives = 1;
        bad.Events["interruption"].FalseNegatives = 3;
        breakdown.Add(Conditions(("codec", "pcm"), ("noise", "fan")), good);
        breakdown.Add(Conditions(("codec", "gsm"), ("noise", "fan")), bad);

        var worst = breakdown.Worst().ToDictionary(w => w.Metric);
        Assert.Equal("codec=gsm", worst["interruption_f1"].Bucket);
        Assert.Equal(0.4, worst["interruption_f1"].Value, 6);
        Assert.Equal("codec=gsm", worst["false_alerts_per_hour"].Bucket);
        Assert.Equal(7.0, worst["false_alerts_per_hour"].Value, 6);
    }
}
