using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Tells when the customer side is on hold. A PBX that holds a call replaces the customer's line with music
    /// or with silence, so the line stops sounding like the call's own background: for <c>hold_detect_ms</c> no
    /// customer speech at all, and most frames either <c>hold_level_db</c> above the typical level the line had
    /// between the customer's words (music) or far under it (a silenced line). That background level is the
    /// median of non-speech frames, tracked in dB and frozen during a hold; music or a television in the
    /// customer's room is part of it, so it does not look like hold. It never suspends the customer's voice detector: the first
    /// confirmed customer speech ends a hold, so when in doubt it is speech. Counts over a sliding window keep
    /// it O(1) per frame.
    /// </summary>
    public sealed class HoldDetector
    {
        // Shares of the window: entering needs most frames to sound held, staying needs fewer.
        private const int EnterPercent = 70;
        private const int StayPercent = 40;
        // A line this far under its remembered background, or at digital silence, has been cut off.
        private const float DeadLineBelowDb = 10f;
        private const float DigitalSilenceDb = 6f;
        // The background median moves by 0.1 dB a frame towards each non-speech frame: it settles within seconds
        // and a minute of talking does not move it.
        private const float BackgroundStepDb = 0.1f;

        private readonly int _frameMs;
        private float _musicDb;
        private float _backgroundDb = -1f;
        private bool[] _held;
        private int _next;
        private int _filled;
        private int _heldCount;
        private int _sinceSpeechFrames;

        public HoldDetector(int frameMs)
        {
            _frameMs = frameMs;
        }

        /// <summary>The customer side sounds like hold.</summary>
        public bool OnHold { get; private set; }

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
        }

        /// <param name="db">The customer frame's level.</param>
        /// <param name="speech">Confirmed customer speech in this frame.</param>
        public void Update(float db, bool speech)
        {
            if (!speech && !OnHold)
            {
                _backgroundDb = _backgroundDb < 0f ? db : _backgroundDb + (db > _backgroundDb ? BackgroundStepDb : -BackgroundStepDb);
            }

            float aboveDb = db - _backgroundDb;
            bool dead = db < DigitalSilenceDb || aboveDb < -DeadLineBelowDb;
            Push(!speech && _backgroundDb >= 0f && (dead || aboveDb > _musicDb));
            _sinceSpeechFrames = speech ? 0 : _sinceSpeechFrames + 1;
            int n = _held.Length;
            if (_sinceSpeechFrames < n || _filled < n)
            {
                OnHold = false;
                return;
            }

            OnHold = _heldCount * 100 >= n * (OnHold ? StayPercent : EnterPercent);
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
