using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Speech / no speech for one channel. A frame can start speech only if it is loud against the
    /// noise floor and spectrally speech-like (low tilt: noise bursts and hiss are not speech); speech
    /// is confirmed after a few such frames and held through the short gaps between words.
    /// </summary>
    public sealed class VoiceDetector
    {
        private readonly int _frameMs;
        private float _onsetRatio;
        private float _sustainRatio;
        private float _maxOnsetTilt;
        private int _onsetFrames;
        private int _hangoverFrames;
        private int _loudRun;
        private int _hangLeft;

        public VoiceDetector(int frameMs)
        {
            _frameMs = frameMs;
        }

        /// <summary>Confirmed speech, including hangover.</summary>
        public bool Speaking { get; private set; }

        /// <summary>This frame on its own was loud enough to count as voice.</summary>
        public bool Loud { get; private set; }

        public void Configure(DeskConfig config)
        {
            _onsetRatio = Decibels.ToPowerRatio(config.VadThresholdDb);
            _sustainRatio = Decibels.ToPowerRatio(config.VadThresholdDb * 0.5f);
            _maxOnsetTilt = config.SpeechTiltMaxPct / 100f;
            _onsetFrames = config.VadOnsetMs / _frameMs;
            if (_onsetFrames < 1)
            {
                _onsetFrames = 1;
            }

            _hangoverFrames = config.VadHangoverMs / _frameMs;
        }

        public void Reset()
        {
            Speaking = false;
            Loud = false;
            _loudRun = 0;
            _hangLeft = 0;
        }

        /// <summary>
        /// Decides one frame. <paramref name="gate"/> is false when another guard (echo, hold, mute) says this
        /// frame's energy is not this talker's voice.
        /// </summary>
        public bool Update(float power, float tilt, float floor, bool gate)
        {
            bool onsetLike = gate && power > floor * _onsetRatio && tilt < _maxOnsetTilt;
            bool sustainLike = gate && power > floor * _sustainRatio;
            Loud = Speaking ? sustainLike : onsetLike;

            if (!Speaking)
            {
                _loudRun = onsetLike ? _loudRun + 1 : 0;
                if (_loudRun >= _onsetFrames)
                {
                    Speaking = true;
                    _hangLeft = _hangoverFrames;
                }
            }
            else if (sustainLike)
            {
                _hangLeft = _hangoverFrames;
            }
            else if (--_hangLeft < 0)
            {
                Speaking = false;
                _loudRun = 0;
            }

            return Speaking;
        }
    }
}
