using System.Globalization;

namespace Kuulo.Desk.Evaluation;

/// <summary>
/// Scores added up per condition bucket (customer SNR band, codec, noise, reverb, speaker split, hold kind), read
/// from each label file's <c>conditions</c>, so a weakness in one condition is not averaged away by the others.
/// </summary>
public sealed class Breakdown
{
    /// <summary>The dimensions, in print order, and the <c>conditions</c> key each reads (SNR is banded).</summary>
    public static readonly (string Dimension, string Key)[] Dimensions =
    {
        ("snr", "customer_snr_db"), ("codec", "codec"), ("noise", "noise"), ("reverb", "reverb"), ("split", "split"), ("hold", "hold"),
        ("dc_offset", "dc_offset"),
    };

    /// <summary>The customer SNR that separates "honestly reported" from "targets apply".</summary>
    public const double TargetSnrDb = 5;

    /// <summary>SNR bands in print order; other dimensions print their buckets alphabetically.</summary>
    public static readonly string[] SnrBands = { "<5", "5-10", "10-15", "15+", "clean", "unknown" };

    private readonly SortedDictionary<(int Dimension, int Band, string Bucket), Bucket> _buckets = new();

    /// <summary>One bucket's total score and how many conversations went into it.</summary>
    public sealed class Bucket
    {
        public Score Score { get; } = new();
        public int Conversations { get; set; }
    }

    /// <summary>
    /// The bucket of each dimension for a conversation. No <c>conditions</c> at all: "unknown" everywhere; a missing
    /// key: "unknown", except the SNR, where no noise was stated means "clean".
    /// </summary>
    public static IEnumerable<(string Dimension, string Bucket)> BucketsOf(IReadOnlyDictionary<string, string>? conditions)
    {
        foreach (var (dimension, key) in Dimensions)
        {
            if (conditions == null)
            {
                yield return (dimension, "unknown");
            }
            else if (dimension == "snr")
            {
                yield return (dimension, SnrBand(conditions.TryGetValue(key, out var snr) ? snr : null));
            }
            else
            {
                yield return (dimension, conditions.TryGetValue(key, out var value) && value.Length > 0 ? value : "unknown");
            }
        }
    }

    /// <summary>&lt;5, 5-10, 10-15 or 15+ dB; "clean" when no SNR is stated; "unknown" when it is not a number.</summary>
    public static string SnrBand(string? snr)
    {
        if (snr == null)
        {
            return "clean";
        }

        if (!double.TryParse(snr, NumberStyles.Float, CultureInfo.InvariantCulture, out double db) || !double.IsFinite(db))
        {
            return "unknown";
        }

        return db < 5 ? "<5" : db < 10 ? "5-10" : db < 15 ? "10-15" : "15+";
    }

    /// <summary>Whether a conversation counts as "at or above 5 dB customer SNR" (clean lines do; unknown ones do not).</summary>
    public static bool AtTargetSnr(IReadOnlyDictionary<string, string>? conditions) =>
        BucketsOf(conditions).First(b => b.Dimension == "snr").Bucket is "5-10" or "10-15" or "15+" or "clean";

    public void Add(IReadOnlyDictionary<string, string>? conditions, Score score)
    {
        int order = 0;
        foreach (var (dimension, bucket) in BucketsOf(conditions))
        {
            var key = (order++, dimension == "snr" ? Array.IndexOf(SnrBands, bucket) : 0, $"{dimension}={bucket}");
            if (!_buckets.TryGetValue(key, out var b))
            {
                _buckets[key] = b = new Bucket();
            }

            b.Score.Add(score);
            b.Conversations++;
        }
    }

    /// <summary>Buckets as "dimension=bucket", grouped by dimension in <see cref="Dimensions"/> order.</summary>
    public IEnumerable<(string Name, Bucket Bucket)> Buckets => _buckets.Select(b => (b.Key.Bucket, b.Value));

    /// <summary>The metrics of the summary line plus hold suppression, each with whether higher is better.</summary>
    public static readonly (string Name, bool HigherIsBetter, Func<Score, double> Value)[] Metrics =
    {
        ("interruption_f1", true, s => s.Events["interruption"].F1),
        ("dead_air_f1", true, s => s.Events["dead_air"].F1),
        ("backchannel_alert_rate", false, s => s.BackchannelAlertRate),
        ("false_alerts_per_hour", false, s => s.FalseAlertsPerHour),
        ("latency_median_s", false, s => Score.Percentile(s.InterruptionLatencies, 0.5)),
        ("vad_f1_agent", true, s => s.AgentFrames.F1),
        ("vad_f1_customer", true, s => s.CustomerFrames.F1),
        ("hold_suppressed", false, s => s.HoldSuppressedShare),
    };

    /// <summary>For each metric, the bucket where it is worst and its value there (nothing when there are no buckets).</summary>
    public IEnumerable<(string Metric, string Bucket, double Value)> Worst()
    {
        if (_buckets.Count == 0)
        {
            yield break;
        }

        foreach (var (name, higherIsBetter, value) in Metrics)
        {
            var worst = _buckets.OrderBy(b => higherIsBetter ? value(b.Value.Score) : -value(b.Value.Score)).ThenBy(b => b.Key).First();
            yield return (name, worst.Key.Bucket, value(worst.Value.Score));
        }
    }

    /// <summary>The table: one row per bucket with its conversations, minutes and every metric.</summary>
    public void Write(TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"{"bucket",-20} {"convs",5} {"min",6} {"interr f1",9} {"dead f1",7} {"bc rate",7} {"fa/h",6} {"lat s",5} {"vad ag",6} {"vad cu",6} {"held",6}");
        foreach (var (name, bucket) in Buckets)
        {
            var s = bucket.Score;
            output.WriteLine(string.Create(inv,
                $"{name,-20} {bucket.Conversations,5} {s.Hours * 60,6:F1} {s.Events["interruption"].F1,9:F3} {s.Events["dead_air"].F1,7:F3} {s.BackchannelAlertRate,7:F3} {s.FalseAlertsPerHour,6:F1} {Score.Percentile(s.InterruptionLatencies, 0.5),5:F2} {s.AgentFrames.F1,6:F3} {s.CustomerFrames.F1,6:F3} {s.HoldSuppressedShare * 100,5:F1}%"));
        }
    }
}
