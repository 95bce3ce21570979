using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Tells when the customer side is on hold: for <c>hold_detect_ms</c> no customer speech at all, and either
    /// steady sound well above the line's quiet level in some band (music, even when it is no louder overall
    /// than the line's hiss) or a line at digital silence, quieter than any microphone (a PBX's silent hold).
    /// It never suspends the customer's voice detector: the first confirmed customer speech ends a hold, so
    /// when in doubt it is speech. Counts over a sliding window keep it O(1) per frame.
    /// </summary>
    public sealed class HoldDetector
    {
        // The line's quiet level, per band, follows the band's noise floor down at once and up by at most
        // 0.3 dB/s, so during music it remembers the call's own background.
        private const float QuietRisePerSecondDb = 0.3f;
        // Under this a frame is digital silence (a couple of LSB RMS, about -84 dBFS): no microphone is that quiet.
        private const float DigitalSilenceDb = 6f;
        // Shares of the window: entering needs most frames to agree, staying needs fewer.
        private const int EnterPercent = 70;
        private const int StayPercent = 40;

        private readonly int _frameMs;
        private bool[] _raised;
        private bool[] _dead;
        private int _next;
        private int _filled;
        private int _raisedCount;
        private int _deadCount;
        private int _sinceSpeechFrames;
        private readonly float[] _quietDb = new float[BandAnalyser.Bands];
        private float _riseDb;
        private float _musicDb;

        public HoldDetector(int frameMs)
        {
            _frameMs = frameMs;
        }

        /// <summary>The customer side sounds like hold.</summary>
        public bool OnHold { get; private set; }

        public void Configure(DeskConfig config)
        {
            int frames = config.HoldDetectMs / _frameMs;
            if (_raised == null || _raised.Length != frames)
            {
                _raised = new bool[frames];
                _dead = new bool[frames];
                Reset();
            }

            _musicDb = config.HoldLevelDb;
            _riseDb = QuietRisePerSecondDb * _frameMs / 1000f;
        }

        public void Reset()
        {
            for (int i = 0; i < _raised.Length; i++)
            {
                _raised[i] = false;
                _dead[i] = false;
            }

            _next = 0;
            _filled = 0;
            _raisedCount = 0;
            _deadCount = 0;
            _sinceSpeechFrames = 0;
            for (int b = 0; b < _quietDb.Length; b++)
            {
                _quietDb[b] = -1f;
            }

            OnHold = false;
        }

        /// <param name="db">The customer frame's level.</param>
        /// <param name="bandDb">The customer frame's band levels.</param>
        /// <param name="bandFloorDb">The customer channel's noise floor per band.</param>
        /// <param name="speech">Confirmed customer speech in this frame.</param>
        public void Update(float db, float[] bandDb, float[] bandFloorDb, bool speech)
        {
            bool raised = false;
            for (int b = 0; b < _quietDb.Length; b++)
            {
                float floor = bandFloorDb[b];
                float quiet = _quietDb[b];
                // A floor pulled down by digital silence says nothing about the line's background: keep the last one.
                if (floor >= DigitalSilenceDb)
                {
                    quiet = quiet < 0f || floor < quiet ? floor : quiet + _riseDb;
                    _quietDb[b] = quiet = quiet > floor ? floor : quiet;
                }

                raised |= quiet >= 0f && bandDb[b] > quiet + _musicDb;
            }

            bool dead = db < DigitalSilenceDb;
            Push(raised, dead);
            _sinceSpeechFrames = speech ? 0 : _sinceSpeechFrames + 1;
            int n = _raised.Length;
            if (_sinceSpeechFrames < n || _filled < n)
            {
                OnHold = false;
                return;
            }

            int percent = OnHold ? StayPercent : EnterPercent;
            OnHold = _raisedCount * 100 >= n * percent || _deadCount * 100 >= n * percent;
        }

        private void Push(bool raised, bool dead)
        {
            if (_filled == _raised.Length)
            {
                if (_raised[_next]) { _raisedCount--; }
                if (_dead[_next]) { _deadCount--; }
            }
            else
            {
                _filled++;
            }

            _raised[_next] = raised;
            _dead[_next] = dead;
            if (raised) { _raisedCount++; }
            if (dead) { _deadCount++; }
            _next = (_next + 1) % _raised.Length;
        }
    }
}
