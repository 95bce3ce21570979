using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>The dashboard's figures: how each derives from rollup sums, and the metrics charts and rankings offer.</summary>
public static class Figures
{
    /// <summary>A figure that can be charted or ranked: its API name, its label with unit, and its value.</summary>
    public sealed record Metric(string Name, string Label, Func<AggregateRow, double> Value);

    public static readonly Metric[] Metrics =
    {
        new("interruptions", "Interruptions per call", r => r.InterruptionsPerCall),
        new("dead_air", "Dead air per call (s)", r => r.DeadAirSecondsPerCall),
        new("backchannels", "Backchannels per call", r => r.BackchannelsPerCall),
        new("talk_share", "Agent talk share (%)", r => 100 * r.AgentTalkShare),
        new("overlap_share", "Overlap share (%)", r => 100 * r.OverlapShare),
        new("response_gap", "Median response gap (s)", r => r.ResponseGapSeconds),
        new("alerts", "Alerts per call", r => r.AlertsPerCall),
        new("calls", "Calls", r => r.Calls),
    };

    public static string MetricNames => string.Join(", ", Metrics.Select(m => m.Name));

    private static readonly int Calls = Rollups.Index("calls"), Agent = Rollups.Index("agent_ms"), Cust = Rollups.Index("cust_ms"),
        Overlap = Rollups.Index("overlap_ms"), Interruptions = Rollups.Index("interruptions"), Backchannels = Rollups.Index("backchannels"),
        DeadAir = Rollups.Index("dead_air_ms"), Alerts = Rollups.Index("alerts"), Duration = Rollups.Index("dur_ms"), Hold = Rollups.Index("hold_ms"),
        GapCalls = Rollups.Index("gap_calls"), FirstGapBin = Rollups.Index("gap_h0");

    public static AggregateRow Row(Rollups.Group g)
    {
        var s = g.Sums;
        double calls = Math.Max(1, s[Calls]);
        return new AggregateRow
        {
            Key = g.Key, PeriodStart = LocalDays.ToDate(g.PeriodStart), Calls = s[Calls],
            InterruptionsPerCall = s[Interruptions] / calls, DeadAirSecondsPerCall = s[DeadAir] / 1000.0 / calls,
            BackchannelsPerCall = s[Backchannels] / calls, AlertsPerCall = s[Alerts] / calls,
            AgentTalkShare = Ratio(s[Agent], s[Agent] + s[Cust]), OverlapShare = Ratio(s[Overlap], s[Agent] + s[Cust] - s[Overlap]),
            ResponseGapSeconds = MedianGapMs(s) / 1000.0, AverageCallSeconds = s[Duration] / 1000.0 / calls, HoldSecondsPerCall = s[Hold] / 1000.0 / calls,
        };
    }

    private static double Ratio(long part, long whole) => whole <= 0 ? 0 : (double)part / whole;

    /// <summary>
    /// The median of the calls' median response gaps, from the histogram: the bin holding the middle call, linearly
    /// interpolated inside it. The open last bin answers its lower bound.
    /// </summary>
    private static double MedianGapMs(long[] sums)
    {
        long n = sums[GapCalls];
        if (n == 0)
        {
            return 0;
        }

        double middle = n / 2.0, seen = 0;
        var bounds = Rollups.GapBinUpperMs;
        for (int b = 0; b <= bounds.Length; b++)
        {
            long inBin = sums[FirstGapBin + b];
            double lower = b == 0 ? 0 : bounds[b - 1];
            if (b == bounds.Length)
            {
                return lower;
            }

            if (seen + inBin >= middle && inBin > 0)
            {
                return lower + (bounds[b] - lower) * (middle - seen) / inBin;
            }

            seen += inBin;
        }

        return 0;
    }
}
