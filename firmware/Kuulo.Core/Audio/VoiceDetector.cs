using Kuulo.Core.Config;

namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Speech / no speech for one channel, from the voice model's per-frame score. A frame counts as voice
    /// when it stands above the noise floor at all and the model says so; speech is confirmed after a few such
    /// frames and held through the short gaps between words. The model runs only on frames that pass the
    /// cheap checks first: on the device it is the costliest step of a frame.
    /// </summary>
    public sealed class VoiceDetector
    {
        /// <summary>The <see cref="Margin"/> of a frame the model did not score: far under any threshold.</summary>
        public const float Unscored = -100f;

        private readonly int _frameMs;
        private readonly IFrameClassifier _model;
        private float _minSnrDb;
        private float _threshold;
        private float _margin;
        private int _onsetFrames;
        private int _hangoverFrames;
        private int _loudRun;
        private int _hangLeft;

        public VoiceDetector(int frameMs, IFrameClassifier model)
        {
            _frameMs = frameMs;
            _model = model;
        }

        /// <summary>Confirmed speech, including hangover.</summary>
        public bool Speaking { get; private set; }

        /// <summary>This frame on its own carried voice.</summary>
        public bool Loud { get; private set; }

        /// <summary>
        /// How far over the threshold the model scored this frame, in log-odds; <see cref="Unscored"/> when the frame
        /// failed the cheap checks and the model did not run.
        /// </summary>
        public float Margin { get { return _margin; } }

        public void Configure(DeskConfig config)
        {
            _minSnrDb = config.VadThresholdDb;
            // Sensitivity 50 is the trained operating point (log-odds 0); each 10 points shift it by one.
            _threshold = (50 - config.VadSensitivity) * 0.1f;
            _onsetFrames = config.VadOnsetMs / _frameMs;
            if (_onsetFrames < 1)
            {
                _onsetFrames = 1;
            }

            _hangoverFrames = config.VadHangoverMs / _frameMs;
        }

        /// <summary>
        /// Decides one frame. <paramref name="gate"/> is false when another guard (echo, mute) says this frame's
        /// energy is not this talker's voice.
        /// </summary>
        public bool Update(SpeechFeatures features, bool gate)
        {
            _margin = gate && features.SnrDb >= _minSnrDb ? _model.Score(features.Values) - _threshold : Unscored;
            Loud = _margin > 0f;
            if (!Speaking)
            {
                _loudRun = Loud ? _loudRun + 1 : 0;
                if (_loudRun >= _onsetFrames)
                {
                    Speaking = true;
                    _hangLeft = _hangoverFrames;
                }
            }
            else if (Loud)
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
