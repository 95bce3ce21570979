namespace Kuulo.Desk.Evaluation;

/// <summary>Hits, misses and false alarms, added up over conversations.</summary>
public sealed class Counts
{
    public int TruePositives { get; set; }
    public int FalsePositives { get; set; }
    public int FalseNegatives { get; set; }

    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>F1; 1 when there was nothing to find and nothing was raised.</summary>
    public double F1 => TruePositives + FalsePositives + FalseNegatives == 0
        ? 1
        : 2.0 * TruePositives / (2.0 * TruePositives + FalsePositives + FalseNegatives);

    public void Add(Counts other)
    {
        TruePositives += other.TruePositives;
        FalsePositives += other.FalsePositives;
        FalseNegatives += other.FalseNegatives;
    }

    private static double Ratio(int a, int b) => b == 0 ? 1 : (double)a / b;
}

/// <summary>The scores of one conversation or of a whole corpus.</summary>
public sealed class Score
{
    public static readonly string[] EventTypes = { "interruption", "dead_air", "backchannel", "customer_overlap", "monologue" };

    public Dictionary<string, Counts> Events { get; } = EventTypes.ToDictionary(t => t, _ => new Counts());
    public Counts AgentFrames { get; } = new();
    public Counts CustomerFrames { get; } = new();
    public List<double> InterruptionLatencies { get; } = new();
    public List<double> DeadAirLatencies { get; } = new();
    public int Backchannels { get; set; }
    public int BackchannelsAlerted { get; set; }
    public int FalseAlerts { get; set; }

    /// <summary>False alerts by what the labels show around them (<see cref="FalseAlertCause"/>).</summary>
    public Dictionary<string, int> FalseAlertCauses { get; } = FalseAlertCause.All.ToDictionary(c => c, _ => 0);
    public double Hours { get; set; }

    /// <summary>Frames of true customer speech outside true holds, and how many of them the detector spent on hold.</summary>
    public int CustomerSpeechFrames { get; set; }
    public int HoldSuppressedFrames { get; set; }

    public double BackchannelAlertRate => Backchannels == 0 ? 0 : (double)BackchannelsAlerted / Backchannels;
    public double FalseAlertsPerHour => Hours == 0 ? 0 : FalseAlerts / Hours;

    /// <summary>The share of true customer speech (outside true holds) that the hold detector suppressed.</summary>
    public double HoldSuppressedShare => CustomerSpeechFrames == 0 ? 0 : (double)HoldSuppressedFrames / CustomerSpeechFrames;

    public void Add(Score other)
    {
        foreach (var type in EventTypes)
        {
            Events[type].Add(other.Events[type]);
        }

        AgentFrames.Add(other.AgentFrames);
        CustomerFrames.Add(other.CustomerFrames);
        InterruptionLatencies.AddRange(other.InterruptionLatencies);
        DeadAirLatencies.AddRange(other.DeadAirLatencies);
        Backchannels += other.Backchannels;
        BackchannelsAlerted += other.BackchannelsAlerted;
        FalseAlerts += other.FalseAlerts;
        foreach (var (cause, count) in other.FalseAlertCauses)
        {
            FalseAlertCauses[cause] += count;
        }

        Hours += other.Hours;
        CustomerSpeechFrames += other.CustomerSpeechFrames;
        HoldSuppressedFrames += other.HoldSuppressedFrames;
    }

    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return 0;
        }

        var sorted = values.OrderBy(v => v).ToArray();
        double rank = p * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    /// <summary>The one-line summary that closes <c>kuulo-desk eval</c>; latency is the interruption alert latency.</summary>
    public string SummaryLine() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"interruption_f1={Events["interruption"].F1:F3} dead_air_f1={Events["dead_air"].F1:F3} " +
        $"backchannel_alert_rate={BackchannelAlertRate:F3} false_alerts_per_hour={FalseAlertsPerHour:F1} " +
        $"latency_median_s={Percentile(InterruptionLatencies, 0.5):F2} vad_f1_agent={AgentFrames.F1:F3} vad_f1_customer={CustomerFrames.F1:F3}");
}
