using Kuulo.Desk.Evaluation;

namespace Kuulo.Desk.Tests;

public class ScorerTests
{
    private static Labels Truth(params LabelledEvent[] events) => new()
    {
        DurationSeconds = 3600,
        AgentSpeech = new List<(double, double)> { (1.0, 2.0) },
        CustomerSpeech = new List<(double, double)>(),
        Events = events,
    };

    private static Analysis Detected(params DetectedEvent[] events)
    {
        var a = new Analysis(20);
        a.Events.AddRange(events);
        return a;
    }

    [Fact]
    public void InterruptionHitsOnlyInsideItsWindowAndOnce()
    {
        var labels = Truth(new LabelledEvent("interruption", 10, 11));
        var score = Scorer.Score(labels, Detected(new DetectedEvent("interruption", 10.8, 1), new DetectedEvent("interruption", 11.2, 1), new DetectedEvent("interruption", 11.6, 1)), 5);
        var c = score.Events["interruption"];
        Assert.Equal((1, 2, 0), (c.TruePositives, c.FalsePositives, c.FalseNegatives));
        Assert.Equal(2, score.FalseAlerts);
        Assert.Equal(0.8, score.InterruptionLatencies.Single(), 6);
        Assert.Equal(2.0, score.FalseAlertsPerHour, 6);
    }

    [Fact]
    public void DeadAirInsideHoldIsFalseAndStageTwoIsIgnored()
    {
        var labels = Truth(new LabelledEvent("dead_air", 20, 30), new LabelledEvent("hold", 40, 60));
        var score = Scorer.Score(labels, Detected(new DetectedEvent("dead_air", 25, 1), new DetectedEvent("dead_air", 30, 2), new DetectedEvent("dead_air", 45, 1)), 5);
        var c = score.Events["dead_air"];
        Assert.Equal((1, 1, 0), (c.TruePositives, c.FalsePositives, c.FalseNegatives));
        Assert.Equal(0.0, score.DeadAirLatencies.Single(), 6);
        Assert.Equal(1, score.FalseAlerts);
    }

    [Fact]
    public void BackchannelFollowedByAnInterruptionAlertCountsAsAlerted()
    {
        var labels = Truth(new LabelledEvent("backchannel", 5, 5.5), new LabelledEvent("backchannel", 50, 50.4));
        var score = Scorer.Score(labels, Detected(new DetectedEvent("interruption", 6.2, 1)), 5);
        Assert.Equal(0.5, score.BackchannelAlertRate, 6);
    }

    [Fact]
    public void FramesAreScoredAtTheirCentres()
    {
        var a = Detected();
        // Frames of 20 ms from 0.94 s: centres 0.95-0.99 s lie before [1, 2), 2.01-2.19 s after it.
        for (int k = 0; k < 110; k++)
        {
            a.AgentFrames.Add(k >= 47);
        }

        var score = Scorer.Score(Truth(), a, 5);
        Assert.Equal(13, score.AgentFrames.FalsePositives);
        Assert.Equal(50, score.AgentFrames.TruePositives);
        Assert.Equal(0, score.AgentFrames.FalseNegatives);
    }

    [Fact]
    public void WithoutADurationTheAudioLengthIsUsedForTheHourlyRate()
    {
        var labels = new Labels { DurationSeconds = 0, AgentSpeech = new List<(double, double)>(), CustomerSpeech = new List<(double, double)>(), Events = Array.Empty<LabelledEvent>() };
        var a = Detected(new DetectedEvent("interruption", 5, 1));
        for (int k = 0; k < 180_000; k++)
        {
            a.AgentFrames.Add(false);
        }

        // 180,000 frames of 20 ms = one hour, one false alert.
        Assert.Equal(1.0, Scorer.Score(labels, a, 5).FalseAlertsPerHour, 6);
    }

    [Fact]
    public void HoldSuppressionCountsCustomerSpeechSpentOnHoldOutsideTrueHolds()
    {
        var labels = new Labels
        {
            DurationSeconds = 10,
            AgentSpeech = new List<(double, double)>(),
            // 1-3 s speech, 4-6 s speech inside a true hold (a cut-off sentence), 7-8 s speech.
            CustomerSpeech = new List<(double, double)> { (1, 3), (4, 6), (7, 8) },
            Events = new[] { new LabelledEvent("hold", 3.5, 6.5) },
        };
        var a = Detected();
        for (int k = 0; k < 500; k++)
        {
            double t = (k + 0.5) * 0.02;
            a.AgentFrames.Add(false);
            a.CustomerFrames.Add(false);
            // On hold over 2-2.5 s (speech), 3.5-6.5 s (the true hold) and 7.5-9 s (half speech, half silence).
            a.HoldFrames.Add((t >= 2 && t < 2.5) || (t >= 3.5 && t < 6.5) || (t >= 7.5 && t < 9));
        }

        var score = Scorer.Score(labels, a, 5);
        Assert.Equal(150, score.CustomerSpeechFrames);          // 3 s of speech outside the hold, 20 ms frames
        Assert.Equal(25 + 25, score.HoldSuppressedFrames);     // 0.5 s at 2 s, 0.5 s at 7.5 s
        Assert.Equal(50.0 / 150, score.HoldSuppressedShare, 6);

        // A detector that reports no hold state suppresses nothing.
        a.HoldFrames.Clear();
        Assert.Equal(0, Scorer.Score(labels, a, 5).HoldSuppressedFrames);

        // Shares add up over conversations by frames, not by averaging shares.
        var total = new Score();
        total.Add(score);
        total.Add(new Score { CustomerSpeechFrames = 850 });
        Assert.Equal(0.05, total.HoldSuppressedShare, 6);
    }

    [Fact]
    public void FalseAlertsAreSortedByWhatTheLabelsShowAroundThem()
    {
        var labels = new Labels
        {
            DurationSeconds = 3600,
            AgentSpeech = new List<(double, double)> { (10, 12), (20, 22), (30, 31), (41, 44), (60.5, 61.5) },
            CustomerSpeech = new List<(double, double)> { (9, 13), (25, 27), (29, 33), (40, 44), (53, 60) },
            Events = new[]
            {
                new LabelledEvent("interruption", 10, 10),
                new LabelledEvent("backchannel", 30, 30.5),
                new LabelledEvent("hold", 70, 90),
                new LabelledEvent("dead_air", 100, 110),
            },
        };
        var alerts = Detected(
            new DetectedEvent("interruption", 10.8, 1),  // the true one
            new DetectedEvent("interruption", 21.0, 1),  // the agent talked, the customer did not
            new DetectedEvent("interruption", 26.0, 1),  // the customer talked, the agent did not
            new DetectedEvent("interruption", 31.0, 1),  // at the backchannel
            new DetectedEvent("interruption", 43.5, 1),  // both talked, but no interruption is labelled
            new DetectedEvent("dead_air", 45.2, 1),      // over the end of both sides' talk
            new DetectedEvent("dead_air", 58.0, 1),      // while the customer talked
            new DetectedEvent("dead_air", 66.0, 1),      // after 0.5 s of agent talk: a word's edge, not missed talk
            new DetectedEvent("dead_air", 80.0, 1),      // in the hold
            new DetectedEvent("dead_air", 105.0, 1));    // the true one
        var score = Scorer.Score(labels, alerts, 5);

        Assert.Equal(8, score.FalseAlerts);
        var expected = new Dictionary<string, int>
        {
            [FalseAlertCause.AgentNotTalking] = 1,
            [FalseAlertCause.CustomerNotTalking] = 1,
            [FalseAlertCause.AtBackchannel] = 1,
            [FalseAlertCause.BothTalking] = 1,
            [FalseAlertCause.BothMissed] = 1,
            [FalseAlertCause.CustomerMissed] = 1,
            [FalseAlertCause.SilenceNotDeadAir] = 1,
            [FalseAlertCause.InHold] = 1,
        };
        Assert.Equal(expected, score.FalseAlertCauses.Where(c => c.Value > 0).ToDictionary(c => c.Key, c => c.Value));

        // Causes add up over conversations, like the false alerts they break down.
        var total = new Score();
        total.Add(score);
        total.Add(score);
        Assert.Equal(2, total.FalseAlertCauses[FalseAlertCause.InHold]);
        Assert.Equal(total.FalseAlerts, total.FalseAlertCauses.Values.Sum());
    }

    [Fact]
    public void SummaryLineHasTheAgreedShape()
    {
        var line = new Score().SummaryLine();
        Assert.Matches(@"^interruption_f1=\d\.\d{3} dead_air_f1=\d\.\d{3} backchannel_alert_rate=\d\.\d{3} false_alerts_per_hour=\d+\.\d latency_median_s=-?\d+\.\d{2} vad_f1_agent=\d\.\d{3} vad_f1_customer=\d\.\d{3}$", line);
    }
}
