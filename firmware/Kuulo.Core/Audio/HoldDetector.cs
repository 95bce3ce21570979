using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Recognises hold music on the customer side: a steady sound above the call's noise floor that is
    /// structured (not hiss) yet lacks what speech always has over a couple of seconds, namely strongly
    /// voiced frames and deep dips between words. Counts over a sliding window keep it O(1) per frame.
    /// </summary>
    public sealed class HoldDetector
    {
        // Voiced speech frames have almost all their energy at low frequencies; music rarely gets there.
        private const float VoicedTilt = 0.25f;
        // Music and hiss both have little tilt below this; above it the sound is noise-like.
        private const float StructuredTilt = 1.5f;
        // A frame this far (10 dB) below the running level is a dip, as between words.
        private const float DipRatio = 0.1f;
        // The slow floor forgets a quieter past at 0.3 dB/s, so a long hold stays above it.
        private const float SlowFloorRisePerSecondDb = 0.3f;

        private readonly int _frameMs;
        private bool[] _sound;
        private bool[] _voiced;
        private bool[] _dip;
        private bool[] _structured;
        private int _next;
        private int _filled;
        private int _soundCount;
        private int _voicedCount;
        private int _dipCount;
        private int _structuredCount;
        private float _slowFloor;
        private float _slowFloorRise;
        private float _level;

        public HoldDetector(int frameMs)
        {
            _frameMs = frameMs;
        }

        /// <summary>The customer side sounds like hold music.</summary>
        public bool OnHold { get; private set; }

        public void Configure(DeskConfig config)
        {
            int frames = config.HoldDetectMs / _frameMs;
            if (_sound == null || _sound.Length != frames)
            {
                _sound = new bool[frames];
                _voiced = new bool[frames];
                _dip = new bool[frames];
                _structured = new bool[frames];
                Reset();
            }

            _slowFloorRise = Decibels.ToPowerRatio(SlowFloorRisePerSecondDb * _frameMs / 1000f);
        }

        public void Reset()
        {
            for (int i = 0; i < _sound.Length; i++)
            {
                _sound[i] = false;
                _voiced[i] = false;
                _dip[i] = false;
                _structured[i] = false;
            }

            _next = 0;
            _filled = 0;
            _soundCount = 0;
            _voicedCount = 0;
            _dipCount = 0;
            _structuredCount = 0;
            _slowFloor = 0f;
            _level = 0f;
            OnHold = false;
        }

        public void Update(float power, float tilt, float floor)
        {
            _slowFloor = _slowFloor <= 0f || floor < _slowFloor ? floor : _slowFloor * _slowFloorRise;
            if (_slowFloor > floor)
            {
                _slowFloor = floor;
            }

            _level = _level <= 0f ? power : _level + (power - _level) * 0.05f;

            Push(power > _slowFloor * 2f, tilt < VoicedTilt, power < _level * DipRatio, tilt < StructuredTilt);
            if (_filled < _sound.Length)
            {
                return;
            }

            int n = _sound.Length;
            if (!OnHold)
            {
                OnHold = _soundCount * 10 >= n * 9 && _voicedCount * 20 <= n && _dipCount * 10 <= n && _structuredCount * 10 >= n * 8;
            }
            else
            {
                OnHold = _voicedCount * 100 < n * 15 && _soundCount * 2 >= n;
            }
        }

        private void Push(bool sound, bool voiced, bool dip, bool structured)
        {
            if (_filled == _sound.Length)
            {
                if (_sound[_next]) { _soundCount--; }
                if (_voiced[_next]) { _voicedCount--; }
                if (_dip[_next]) { _dipCount--; }
                if (_structured[_next]) { _structuredCount--; }
            }
            else
            {
                _filled++;
            }

            _sound[_next] = sound;
            _voiced[_next] = voiced;
            _dip[_next] = dip;
            _structured[_next] = structured;
            if (sound) { _soundCount++; }
            if (voiced) { _voicedCount++; }
            if (dip) { _dipCount++; }
            if (structured) { _structuredCount++; }
            _next = (_next + 1) % _sound.Length;
        }
    }
}
