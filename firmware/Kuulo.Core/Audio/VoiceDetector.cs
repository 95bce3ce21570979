using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Speech / no speech for one channel. A frame can start speech only if it is loud against the
    /// noise floor and spectrally speech-like (low tilt: noise bursts and hiss are not speech); speech
    /// is confirmed after a few such frames and held through the short gaps between words. Frames far below
    /// the talker's own running speech level are not speech either: that keeps office babble and other
    /// quiet voices from holding the channel open.
    /// </summary>
    public sealed class VoiceDetector
    {
        private readonly int _frameMs;
        private float _onsetRatio;
        private float _sustainRatio;
        private float _maxOnsetTilt;
        private float _belowSpeechRatio;
        private float _speechLevel;
        private int _onsetFrames;
        private int _hangoverFrames;
        private const float LevelSmoothing = 0.05f;
        // 25 dB above the noise floor.
        private const float StrongRatio = 316f;
        // Until a talker has been heard, assume a typical headset speech level (-26 dBFS), so background
        // voices at the start of a call are not taken for the talker.
        private const float TypicalSpeechPower = 32768f * 32768f * 0.0025f;
        private float _levelDecay;
        private int _loudRun;
        private int _hangLeft;

        public VoiceDetector(int frameMs)
        {
            _frameMs = frameMs;
            _speechLevel = TypicalSpeechPower;
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
            _belowSpeechRatio = Decibels.ToPowerRatio(-config.VadBelowSpeechDb);
            _onsetFrames = config.VadOnsetMs / _frameMs;
            if (_onsetFrames < 1)
            {
                _onsetFrames = 1;
            }

            _hangoverFrames = config.VadHangoverMs / _frameMs;
            _levelDecay = Decibels.ToPowerRatio(-0.3f * _frameMs / 1000f);
        }

        /// <summary>
        /// Decides one frame. <paramref name="gate"/> is false when another guard (echo, hold, mute) says this
        /// frame's energy is not this talker's voice.
        /// </summary>
        public bool Update(float power, float tilt, float floor, bool gate)
        {
            bool nearSpeechLevel = power > _speechLevel * _belowSpeechRatio;
            // Hiss-like frames can still start speech when they are far above the floor: fricatives ("s", "f").
            bool speechLike = tilt < _maxOnsetTilt || power > floor * StrongRatio;
            bool onsetLike = gate && nearSpeechLevel && power > floor * _onsetRatio && speechLike;
            bool sustainLike = gate && nearSpeechLevel && power > floor * _sustainRatio;
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

            if (Speaking && Loud)
            {
                // Power-domain average, so it follows the loud syllables: the talker's speaking level.
                _speechLevel += (power - _speechLevel) * LevelSmoothing;
            }
            else if (_speechLevel > floor)
            {
                // Let a level learned from a louder talker or a louder call fade slowly (0.3 dB/s): quick enough
                // for the next call, slow enough that a long silence does not let background voices in.
                _speechLevel *= _levelDecay;
            }

            return Speaking;
        }
    }
}
