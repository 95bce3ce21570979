using Kuulo.Core.Audio;
using Kuulo.Core.Config;

namespace Kuulo.Core.Tests;

/// <summary>
/// The hold detector on synthetic lines: the customer's background is broadband noise, hold music is two tones
/// whose level swells. Speech is passed in as the voice detector's decision.
/// </summary>
public class HoldDetectorTests
{
    private const int Rate = 8000;
    private const int FrameMs = 20;
    private const int FrameSamples = Rate * FrameMs / 1000;
    private const double BackgroundRms = 300;

    private readonly Random _random = new(5);
    private readonly BandAnalyser _bands = new(Rate, FrameSamples);
    private readonly HoldDetector _hold = new(FrameMs);
    private int _sample;

    public HoldDetectorTests()
    {
        _hold.Configure(new DeskConfig());
    }

    [Fact]
    public void MusicThatStartsUnderAWordIsStillTakenForHold()
    {
        // 10 s of the customer's room between words, so the background is known.
        Run(seconds: 10, musicAboveDb: null, speech: false);
        Assert.False(_hold.OnHold);

        // The PBX starts the music while the detector still hears the customer's last word (its first 0.4 s count
        // as speech), then plays it on its own. The music is 4 dB over the room's total level: in its own band it is
        // only just over hold_level_db at its swells, so a background that crept up towards it while the window
        // restarted after the word would lose it (the detector before this test did, after declaring the hold).
        Run(seconds: 0.4, musicAboveDb: 4, speech: true);
        double heldAfter = Run(seconds: 20, musicAboveDb: 4, speech: false);
        Assert.True(heldAfter <= 3.0, $"hold declared {heldAfter:F1} s after the word");
        Assert.True(_hold.OnHold, "the hold was lost again");
    }

    [Fact]
    public void SpeechEndsAHoldAtOnce()
    {
        Run(seconds: 10, musicAboveDb: null, speech: false);
        Run(seconds: 6, musicAboveDb: 15, speech: false);
        Assert.True(_hold.OnHold);

        Run(seconds: 0.02, musicAboveDb: 4, speech: true);
        Assert.False(_hold.OnHold);
    }

    [Fact]
    public void TheRoomsOwnNoiseIsNeverHold()
    {
        double held = Run(seconds: 60, musicAboveDb: null, speech: false);
        Assert.True(double.IsNaN(held), $"hold declared after {held:F1} s of the customer's room");
    }

    [Fact]
    public void ALineCutToACodecsDigitalSilenceIsHold()
    {
        // A quiet line: the room is faint, and the codec adds the small constant its digital silence decodes to.
        // On hold the line goes to that constant alone, only a few dB under the room overall.
        const int codecDc = 8;
        Feed(seconds: 10, speech: false, i => codecDc + 6 * Gaussian());
        double held = Feed(seconds: 6, speech: false, i => codecDc);
        Assert.True(held <= 3.0, $"hold declared after {held:F1} s of digital silence");
    }

    [Fact]
    public void OnALineThatPausesInDigitalSilenceSilenceIsNotHold()
    {
        // Discontinuous transmission: the phone sends nothing in the customer's pauses, so between words the line
        // is digital silence. A long silence on such a line is dead air, not hold.
        for (int pause = 0; pause < 8; pause++)
        {
            Feed(seconds: 1.5, speech: true, i => 3000 * Gaussian());
            Feed(seconds: 0.2, speech: false, i => BackgroundRms * Gaussian());
            Feed(seconds: 1.0, speech: false, i => 0);
        }

        double held = Feed(seconds: 10, speech: false, i => 0);
        Assert.True(double.IsNaN(held), $"hold declared after {held:F1} s of a pause");
    }

    [Fact]
    public void HoldMusicQuieterThanTheRoomIsHoldWhenItSoundsDifferent()
    {
        Run(seconds: 10, musicAboveDb: null, speech: false);

        // The PBX's sound replaces the room: 6 dB quieter and tilted to the top of the band, so no band rises above
        // the room's and the line does not fall silent, but its spectrum is not the room's.
        double previous = 0;
        double held = Feed(seconds: 6, speech: false, i =>
        {
            double x = BackgroundRms * 0.5 * Gaussian(), tilted = (x - previous) / Math.Sqrt(2);
            previous = x;
            return tilted;
        });
        Assert.True(held <= 3.0, $"hold declared after {held:F1} s of quieter, different sound");
    }

    /// <summary>Feeds frames of the customer channel from <paramref name="sample"/>; returns seconds until hold, or NaN.</summary>
    private double Feed(double seconds, bool speech, Func<int, double> sample)
    {
        double firstHeld = double.NaN;
        var frame = new short[FrameSamples * 2];
        int frames = (int)Math.Round(seconds * 1000 / FrameMs);
        for (int f = 0; f < frames; f++)
        {
            for (int i = 0; i < FrameSamples; i++, _sample++)
            {
                frame[2 * i + 1] = (short)Math.Clamp(Math.Round(sample(_sample)), short.MinValue, short.MaxValue);
            }

            _bands.Analyse(frame, 0, 1, FrameSamples);
            _hold.Update(_bands, speech);
            if (_hold.OnHold && double.IsNaN(firstHeld))
            {
                firstHeld = (f + 1) * FrameMs / 1000.0;
            }
        }

        return firstHeld;
    }

    /// <summary>The room's broadband noise, or hold music over a tenth of it; returns seconds until hold, or NaN.</summary>
    private double Run(double seconds, double? musicAboveDb, bool speech) => Feed(seconds, speech, sample =>
    {
        double noise = BackgroundRms * Gaussian();
        if (musicAboveDb is not double db)
        {
            return noise;
        }

        // A 350 Hz tone whose level swells by ±4 dB, as music does.
        double music = BackgroundRms * Math.Pow(10, (db + 4 * Math.Sin(2 * Math.PI * 0.7 * sample / Rate)) / 20)
            * Math.Sin(2 * Math.PI * 350 * sample / Rate);
        return music + noise * 0.1;
    });

    private double Gaussian()
    {
        double u = 1 - _random.NextDouble(), v = _random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
