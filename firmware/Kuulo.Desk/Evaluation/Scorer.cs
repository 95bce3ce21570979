namespace Kuulo.Desk.Evaluation;

/// <summary>
/// Scores detected events and frames against labels, following the rules of shared/corpus/FORMAT.md:
/// each true event matches at most one detection, and each detection at most one true event.
/// </summary>
public static class Scorer
{
    /// <summary>An interruption alert counts if it comes within this long after the agent's true onset.</summary>
    public const double InterruptionWindowSeconds = 1.5;
    /// <summary>A backchannel "raised an alert" if an interruption alert falls in [t, end + this].</summary>
    public const double BackchannelGraceSeconds = 1.0;
    /// <summary>Counted-only events (backchannel, customer overlap) match within this long of the true event.</summary>
    public const double CountedWindowSeconds = 1.5;
    /// <summary>A monologue alert matches a true one from 1 s before to 3 s after it.</summary>
    public const double MonologueEarlySeconds = 1.0;
    public const double MonologueLateSeconds = 3.0;

    public static Score Score(Labels labels, Analysis analysis, double deadAirThresholdSeconds)
    {
        double seconds = labels.DurationSeconds > 0 ? labels.DurationSeconds : analysis.AgentFrames.Count * analysis.FrameMs / 1000.0;
        var score = new Score { Hours = seconds / 3600.0 };
        var detected = analysis.LabelledEvents.ToList();
        var interruptions = detected.Where(e => e.Type == "interruption").ToList();
        var deadAir = detected.Where(e => e.Type == "dead_air" && e.Stage == 1).ToList();
        var monologues = detected.Where(e => e.Type == "monologue").ToList();

        // Interruptions: alert within [onset, onset + 1.5 s].
        var usedInterruptions = Match(labels.Of("interruption"), interruptions, HitsInterruption,
            score.Events["interruption"], (truth, t) => score.InterruptionLatencies.Add(t - truth.Start));

        // Dead air: a stage-1 alert inside the true silence; one inside a hold is false.
        var usedDeadAir = Match(labels.Of("dead_air"), deadAir, HitsDeadAir,
            score.Events["dead_air"], (truth, t) => score.DeadAirLatencies.Add(t - (truth.Start + deadAirThresholdSeconds)));

        var usedMonologues = Match(labels.Of("monologue"), monologues,
            (truth, t) => t >= truth.Start - MonologueEarlySeconds && t <= truth.Start + MonologueLateSeconds,
            score.Events["monologue"], (_, _) => { });

        foreach (var type in new[] { "backchannel", "customer_overlap" })
        {
            var found = detected.Where(e => e.Type == type).ToList();
            Match(labels.Of(type), found, (truth, t) => t >= truth.Start && t <= Math.Max(truth.End, truth.Start) + CountedWindowSeconds,
                score.Events[type], (_, _) => { });
        }

        foreach (var (alerts, used) in new[] { (interruptions, usedInterruptions), (deadAir, usedDeadAir), (monologues, usedMonologues) })
        {
            for (int i = 0; i < alerts.Count; i++)
            {
                if (!used[i])
                {
                    score.FalseAlerts++;
                    score.FalseAlertCauses[FalseAlertCause.Of(alerts[i], labels, deadAirThresholdSeconds)]++;
                }
            }
        }

        foreach (var bc in labels.Of("backchannel"))
        {
            score.Backchannels++;
            if (interruptions.Any(alert => FallsOnBackchannel(alert.Seconds, bc)))
            {
                score.BackchannelsAlerted++;
            }
        }

        ScoreFrames(analysis.AgentFrames, labels.AgentSpeech, analysis.FrameMs, score.AgentFrames);
        ScoreFrames(analysis.CustomerFrames, labels.CustomerSpeech, analysis.FrameMs, score.CustomerFrames);
        ScoreHoldSuppression(analysis, labels, score);
        return score;
    }

    /// <summary>
    /// Counts true customer speech frames outside true holds, and those of them the detector spent on hold: speech
    /// the hold detector took for music and suspended. A detector without hold state suppresses nothing.
    /// </summary>
    private static void ScoreHoldSuppression(Analysis analysis, Labels labels, Score score)
    {
        var holds = labels.Of("hold").ToList();
        for (int k = 0; k < analysis.CustomerFrames.Count; k++)
        {
            double t = (k + 0.5) * analysis.FrameMs / 1000.0;
            if (!Inside(labels.CustomerSpeech, t) || holds.Any(h => t >= h.Start && t < h.End))
            {
                continue;
            }

            score.CustomerSpeechFrames++;
            if (k < analysis.HoldFrames.Count && analysis.HoldFrames[k])
            {
                score.HoldSuppressedFrames++;
            }
        }
    }

    private static bool Inside(IReadOnlyList<(double Start, double End)> segments, double t)
    {
        // Binary search: segments are sorted and do not overlap.
        int lo = 0, hi = segments.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) / 2;
            if (t < segments[mid].Start) { hi = mid - 1; }
            else if (t >= segments[mid].End) { lo = mid + 1; }
            else { return true; }
        }

        return false;
    }

    /// <summary>An interruption alert at <paramref name="t"/> seconds counts against this true backchannel.</summary>
    public static bool FallsOnBackchannel(double t, LabelledEvent backchannel) =>
        t >= backchannel.Start && t <= backchannel.End + BackchannelGraceSeconds;

    /// <summary>An interruption alert at <paramref name="t"/> seconds matches this true interruption.</summary>
    public static bool HitsInterruption(LabelledEvent truth, double t) => t >= truth.Start && t <= truth.Start + InterruptionWindowSeconds;

    /// <summary>A stage-1 dead-air alert at <paramref name="t"/> seconds matches this true dead air.</summary>
    public static bool HitsDeadAir(LabelledEvent truth, double t) => t >= truth.Start && t <= truth.End;

    /// <summary>
    /// Greedy one-to-one matching: each true event, in the order given (time order), takes the earliest detection
    /// (<paramref name="seconds"/>) it <paramref name="hits"/> that no earlier one took. Returns, per true event, the
    /// index of its detection or -1.
    /// </summary>
    public static int[] Pair(IReadOnlyList<LabelledEvent> truthsInOrder, IReadOnlyList<double> seconds, Func<LabelledEvent, double, bool> hits)
    {
        var used = new bool[seconds.Count];
        var taken = new int[truthsInOrder.Count];
        for (int k = 0; k < truthsInOrder.Count; k++)
        {
            int best = -1;
            for (int i = 0; i < seconds.Count; i++)
            {
                if (!used[i] && hits(truthsInOrder[k], seconds[i]) && (best < 0 || seconds[i] < seconds[best]))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                used[best] = true;
            }

            taken[k] = best;
        }

        return taken;
    }

    /// <summary>Counts the <see cref="Pair"/>ing of the true events with the detections; returns which detections were used.</summary>
    private static bool[] Match(IEnumerable<LabelledEvent> truths, List<DetectedEvent> detections, Func<LabelledEvent, double, bool> hits,
        Counts counts, Action<LabelledEvent, double> onHit)
    {
        var ordered = truths.OrderBy(e => e.Start).ToList();
        var taken = Pair(ordered, detections.Select(d => d.Seconds).ToList(), hits);
        var used = new bool[detections.Count];
        for (int k = 0; k < ordered.Count; k++)
        {
            if (taken[k] >= 0)
            {
                used[taken[k]] = true;
                counts.TruePositives++;
                onHit(ordered[k], detections[taken[k]].Seconds);
            }
            else
            {
                counts.FalseNegatives++;
            }
        }

        counts.FalsePositives += detections.Count - used.Count(u => u);
        return used;
    }

    private static void ScoreFrames(List<bool> frames, IReadOnlyList<(double Start, double End)> speech, int frameMs, Counts counts)
    {
        int segment = 0;
        for (int k = 0; k < frames.Count; k++)
        {
            double t = (k + 0.5) * frameMs / 1000.0;
            while (segment < speech.Count && speech[segment].End <= t)
            {
                segment++;
            }

            bool truth = segment < speech.Count && t >= speech[segment].Start && t < speech[segment].End;
            if (truth && frames[k]) { counts.TruePositives++; }
            else if (frames[k]) { counts.FalsePositives++; }
            else if (truth) { counts.FalseNegatives++; }
        }
    }
}
