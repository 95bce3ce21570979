namespace Kuulo.Desk.Evaluation;

/// <summary>
/// What the labels show around an alert that matched no true event: the first place to look when tuning. An
/// interruption alert judged the agent's last second of talk over the customer; a dead-air alert claimed that the
/// last <c>dead_air_first_ms</c> were silent on both sides.
/// </summary>
public static class FalseAlertCause
{
    /// <summary>How far back from an interruption alert the talk it judged began (about backchannel_max_ms).</summary>
    public const double InterruptionLookBackSeconds = 1.0;

    /// <summary>A side "talked" through a claimed silence if its true speech filled this much of it (not a word's edge).</summary>
    public const double MissedTalkSeconds = 1.0;

    public const string AtBackchannel = "interruption (at a backchannel)";
    public const string AgentNotTalking = "interruption (agent not talking)";
    public const string CustomerNotTalking = "interruption (customer not talking)";
    public const string BothTalking = "interruption (both talking)";
    public const string InHold = "dead air (in a hold)";
    public const string BothMissed = "dead air (both talking)";
    public const string CustomerMissed = "dead air (customer talking)";
    public const string AgentMissed = "dead air (agent talking)";
    public const string SilenceNotDeadAir = "dead air (silence too short or unlabelled)";
    public const string Monologue = "monologue";

    /// <summary>All causes, in the order eval prints them.</summary>
    public static readonly string[] All =
    {
        AtBackchannel, AgentNotTalking, CustomerNotTalking, BothTalking,
        InHold, BothMissed, CustomerMissed, AgentMissed, SilenceNotDeadAir, Monologue,
    };

    public static string Of(DetectedEvent alert, Labels labels, double deadAirThresholdSeconds)
    {
        double t = alert.Seconds;
        if (alert.Type == "interruption")
        {
            double from = t - InterruptionLookBackSeconds;
            if (labels.Of("backchannel").Any(b => Scorer.FallsOnBackchannel(t, b)))
            {
                return AtBackchannel;
            }

            return Talk(labels.AgentSpeech, from, t) == 0 ? AgentNotTalking
                : Talk(labels.CustomerSpeech, from, t) == 0 ? CustomerNotTalking
                : BothTalking;
        }

        if (alert.Type == "dead_air")
        {
            if (labels.Of("hold").Any(h => t >= h.Start && t <= h.End))
            {
                return InHold;
            }

            double from = t - deadAirThresholdSeconds;
            bool agent = Talk(labels.AgentSpeech, from, t) >= MissedTalkSeconds;
            bool customer = Talk(labels.CustomerSpeech, from, t) >= MissedTalkSeconds;
            return agent && customer ? BothMissed : customer ? CustomerMissed : agent ? AgentMissed : SilenceNotDeadAir;
        }

        return Monologue;
    }

    /// <summary>Seconds of true speech in [from, to].</summary>
    private static double Talk(IReadOnlyList<(double Start, double End)> segments, double from, double to) =>
        segments.Sum(s => Math.Max(0, Math.Min(s.End, to) - Math.Max(s.Start, from)));
}
