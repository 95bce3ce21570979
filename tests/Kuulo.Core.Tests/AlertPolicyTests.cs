using Kuulo.Core.Alerts;
using Kuulo.Core.Config;
using Kuulo.Core.Turns;

namespace Kuulo.Core.Tests;

public class AlertPolicyTests
{
    private static AlertPolicy Policy(Action<DeskConfig>? tweak = null)
    {
        var c = new DeskConfig();
        tweak?.Invoke(c);
        return new AlertPolicy(c);
    }

    [Fact]
    public void SameKindWithinCooldownIsNotShownAgain()
    {
        var p = Policy();
        Assert.True(p.Decide(EventType.Interruption, 1000, 1, out var pattern, out var buzz));
        Assert.Equal(IndicatorPattern.Interruption, pattern);
        Assert.True(buzz);
        Assert.False(p.Decide(EventType.Interruption, 1000 + 14_000, 1, out _, out _));
        Assert.True(p.Decide(EventType.Interruption, 1000 + 15_000, 1, out _, out _));
    }

    [Fact]
    public void DeadAirSecondStageFollowsItsShownFirstStageOnly()
    {
        var p = Policy();
        Assert.False(p.Decide(EventType.DeadAir, 5000, 2, out _, out _));
        Assert.True(p.Decide(EventType.DeadAir, 5000, 1, out var first, out var firstBuzz));
        Assert.Equal(IndicatorPattern.DeadAir, first);
        Assert.False(firstBuzz);
        Assert.True(p.Decide(EventType.DeadAir, 10_000, 2, out var second, out var secondBuzz));
        Assert.Equal(IndicatorPattern.DeadAirUrgent, second);
        Assert.True(secondBuzz);
    }

    [Fact]
    public void DeadAirLightStaysUntilSomeoneSpeaks()
    {
        var p = Policy();
        p.Decide(EventType.DeadAir, 5000, 1, out _, out _);
        Assert.Equal(IndicatorPattern.DeadAir, p.Indicator(60_000, inCall: true, paused: false));
        p.VoiceResumed();
        Assert.Equal(IndicatorPattern.InCall, p.Indicator(60_020, inCall: true, paused: false));
    }

    [Fact]
    public void InterruptionLightGoesOutByItself()
    {
        var p = Policy();
        p.Decide(EventType.Interruption, 1000, 1, out _, out _);
        Assert.Equal(IndicatorPattern.Interruption, p.Indicator(2000, true, false));
        Assert.Equal(IndicatorPattern.InCall, p.Indicator(4100, true, false));
        Assert.Equal(IndicatorPattern.Off, p.Indicator(4100, false, false));
    }

    [Fact]
    public void QuietModeAndBuzzerSettingsAreHonoured()
    {
        var quiet = Policy(c => c.Set("quiet", 1));
        Assert.False(quiet.Decide(EventType.Interruption, 1000, 1, out _, out _));

        var silent = Policy(c => c.Set("buzzer", 0));
        Assert.True(silent.Decide(EventType.Interruption, 1000, 1, out _, out var buzz));
        Assert.False(buzz);

        var byInput = Policy();
        byInput.SetQuiet(true);
        Assert.False(byInput.Decide(EventType.Monologue, 1000, 1, out _, out _));
    }

    [Fact]
    public void CountedOnlyEventsNeverAlert()
    {
        var p = Policy();
        Assert.False(p.Decide(EventType.Backchannel, 1000, 1, out _, out _));
        Assert.False(p.Decide(EventType.CustomerOverlap, 1000, 1, out _, out _));
    }
}
