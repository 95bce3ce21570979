using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Tells when the customer side is on hold. A PBX that holds a call replaces the customer's line with music
    /// or with silence, so the line stops sounding like the call's own background: for <c>hold_detect_ms</c> no
    /// customer speech at all, and most frames either <c>hold_level_db</c> above the typical level the line had
    /// between the customer's words in some band (music, even where it is no louder overall than a fan), far
    /// under it overall (a silenced line), at digital silence, or of another spectral shape (music quieter than
    /// the room it replaced). That background is the median of non-speech frames, per band and overall, tracked
    /// in dB and frozen during a hold; music or a television in the customer's room is part of it, so it does not
    /// look like hold. It never suspends the customer's voice detector: the first confirmed customer speech ends
    /// a hold, so when in doubt it is speech. Counts over a sliding window keep it O(1) per frame.
    /// </summary>
    public sealed class HoldDetector
    {
        // Shares of the window: entering needs most frames to sound held, staying needs fewer.
        private const int EnterPercent = 55;
        private const int StayPercent = 30;
        // A line this far under its remembered background, or at digital silence, has been cut off. Digital
        // silence is judged above 250 Hz: a codec's silence decodes to a small constant, which the lowest band
        // follows as an offset only over about 0.6 s.
        private const float DeadLineBelowDb = 10f;
        // Except on a line that sends digital silence in its pauses (discontinuous transmission), where silence
        // is how every pause sounds. The latest evidence decides: a stretch of digital silence between these
        // lengths, ended by sound, says the line does; this much sound without speech says it does not. Until
        // either is heard, digital silence is not taken for hold.
        private const int DtxPauseMinMs = 200;
        private const int DtxPauseMaxMs = 3000;
        private const int NoisyPauseMs = 2000;
        // Bands this far, on average, from where the overall change would put them: the sound is not the room's.
        private const float OtherShapeDb = 4f;
        // The background median moves towards each non-speech frame by 0.5 dB a frame over the first 100 such
        // frames (it settles within seconds), then by 1.5 dB a second: the first seconds of a hold, before it is
        // recognised, move it by a few dB only.
        private const float SettlingStepDb = 0.5f;
        private const int SettlingFrames = 100;
        private const float BackgroundStepPerSecondDb = 1.5f;
        // While the window already sounds held, the background moves at a fifth of that: otherwise music that
        // started under a word (which restarts the window) is half absorbed before the hold can be declared.
        private const int HeldSlowdown = 5;

        private readonly int _frameMs;
        private float _musicDb;
        private float _backgroundDb = -1f;
        private readonly float[] _bandBackgroundDb = new float[BandAnalyser.Bands];
        private float _backgroundStepDb;
        private int _backgroundFrames;
        private bool[] _held;
        private int _next;
        private int _filled;
        private int _heldCount;
        private int _sinceSpeechFrames;
        private int _silentRunFrames;
        private int _noisyRunFrames;
        private bool _pausesInSilence = true;
        private bool _soundsHeld;
        private float _levelChangeDb;
        private float _reshapedDb;

        public HoldDetector(int frameMs)
        {
            _frameMs = frameMs;
        }

        /// <summary>The customer side sounds like hold.</summary>
        public bool OnHold { get; private set; }

        /// <summary>This frame sounded held (it counts towards declaring a hold).</summary>
        public bool SoundsHeld { get { return _soundsHeld; } }

        /// <summary>This frame's level against the line's background, dB.</summary>
        public float LevelChangeDb { get { return _levelChangeDb; } }

        /// <summary>How far this frame's bands are, on average, from where the overall change would put them, dB.</summary>
        public float ReshapedDb { get { return _reshapedDb; } }

        public void Configure(DeskConfig config)
        {
            int frames = config.HoldDetectMs / _frameMs;
            if (_held == null || _held.Length != frames)
            {
                _held = new bool[frames];
                _next = 0;
                _filled = 0;
                _heldCount = 0;
                _sinceSpeechFrames = 0;
                OnHold = false;
            }

            _musicDb = config.HoldLevelDb;
            _backgroundStepDb = BackgroundStepPerSecondDb * _frameMs / 1000f;
        }

        /// <param name="bands">The customer frame's band levels.</param>
        /// <param name="speech">Confirmed customer speech in this frame.</param>
        public void Update(BandAnalyser bands, bool speech)
        {
            float db = bands.TotalDb;
            float[] bandDb = bands.BandDb;
            bool settled = _backgroundDb >= 0f;
            if (!speech && !OnHold)
            {
                float step = _backgroundFrames++ < SettlingFrames ? SettlingStepDb : _backgroundStepDb;
                if (_filled > 0 && _heldCount * 100 >= _filled * StayPercent)
                {
                    step /= HeldSlowdown;
                }

                _backgroundDb = Track(_backgroundDb, db, step, settled);
                for (int b = 0; b < bandDb.Length; b++)
                {
                    _bandBackgroundDb[b] = Track(_bandBackgroundDb[b], bandDb[b], step, settled);
                }
            }

            bool silent = bands.VoiceBandDb < Decibels.DigitalSilenceDb;
            TrackPauses(silent, speech);
            // Nothing sounds held before the background is known: the first seconds of a call compare with
            // too few frames, and a customer's first words missed under noise would be taken for hold.
            float loudestChange = Measure(db, bandDb);
            _soundsHeld = !speech && _backgroundFrames >= SettlingFrames && Held(silent, loudestChange);
            Push(_soundsHeld);
            _sinceSpeechFrames = speech ? 0 : _sinceSpeechFrames + 1;
            int n = _held.Length;
            // Speech ends a hold at once, and a hold begins only after a whole window without it: when in doubt,
            // it is speech.
            if (_sinceSpeechFrames < n || _filled < n)
            {
                OnHold = false;
                return;
            }

            OnHold = _heldCount * 100 >= n * (OnHold ? StayPercent : EnterPercent);
        }

        // The frame against the background: its level and shape change, and the largest change of one band.
        private float Measure(float db, float[] bandDb)
        {
            float meanChange = 0f;
            float loudestChange = bandDb[0] - _bandBackgroundDb[0];
            for (int b = 0; b < bandDb.Length; b++)
            {
                float change = bandDb[b] - _bandBackgroundDb[b];
                loudestChange = change > loudestChange ? change : loudestChange;
                meanChange += change;
            }

            meanChange /= bandDb.Length;
            float spread = 0f;
            for (int b = 0; b < bandDb.Length; b++)
            {
                float d = bandDb[b] - _bandBackgroundDb[b] - meanChange;
                spread += d < 0 ? -d : d;
            }

            _levelChangeDb = db - _backgroundDb;
            _reshapedDb = spread / bandDb.Length;
            return loudestChange;
        }

        // Music, a cut-off line, or a sound of another shape than the room's.
        private bool Held(bool silent, float loudestChange)
        {
            if (silent)
            {
                return !_pausesInSilence;
            }

            return _levelChangeDb < -DeadLineBelowDb || loudestChange > _musicDb || _reshapedDb > OtherShapeDb;
        }

        private void TrackPauses(bool silent, bool speech)
        {
            _noisyRunFrames = silent || speech ? 0 : _noisyRunFrames + 1;
            if (_noisyRunFrames * _frameMs >= NoisyPauseMs)
            {
                _pausesInSilence = false;
            }

            if (silent)
            {
                _silentRunFrames++;
                return;
            }

            int runMs = _silentRunFrames * _frameMs;
            if (runMs >= DtxPauseMinMs && runMs < DtxPauseMaxMs)
            {
                _pausesInSilence = true;
            }

            _silentRunFrames = 0;
        }

        // One step of a median tracker: towards the new value by a fixed step.
        private static float Track(float median, float value, float step, bool settled)
        {
            return !settled ? value : median + (value > median ? step : -step);
        }

        private void Push(bool held)
        {
            if (_filled == _held.Length)
            {
                if (_held[_next]) { _heldCount--; }
            }
            else
            {
                _filled++;
            }

            _held[_next] = held;
            if (held) { _heldCount++; }
            _next = (_next + 1) % _held.Length;
        }
    }
}
