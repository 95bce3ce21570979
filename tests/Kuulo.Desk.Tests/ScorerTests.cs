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
    public void SummaryLineHasTheAgreedShape()
    {
        var line = new Score().SummaryLine();
        Assert.Matches(@"^interruption_f1=\d\.\d{3} dead_air_f1=\d\.\d{3} backchannel_alert_rate=\d\.\d{3} false_alerts_per_hour=\d+\.\d latency_median_s=-?\d+\.\d{2} vad_f1_agent=\d\.\d{3} vad_f1_customer=\d\.\d{3}$", line);
    }
}
