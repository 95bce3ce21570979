namespace Kuulo.Core.Audio
{
    /// <summary>
    /// What the voice model sees of one channel, frame by frame: band levels against their own noise floors,
    /// the spectral shape and how fast it moves, the level against the channel's loud frames and voice, and short
    /// smoothed histories of these (syllables come and go at 2-8 Hz; noise and music mostly do not). All are
    /// in tens of dB so they share a scale. Computed from <see cref="BandAnalyser"/> output in a few dozen
    /// operations per frame; nothing here depends on the detector's own decisions, so training on labelled
    /// audio sees exactly what the device sees.
    /// </summary>
    public sealed class SpeechFeatures
    {
        public const int Count = 24;

        // Feature indexes, in the order the generated model expects.
        public const int Snr = 0;
        public const int BandSnr = 1;     // 5 values
        public const int Shape = 6;       // 5 values
        public const int BelowPeak = 11;
        public const int Delta = 12;
        public const int Flux = 13;
        public const int SnrShort = 14;
        public const int Modulation = 15;
        public const int SnrLong = 16;
        public const int BelowVoice = 17;
        public const int FloorBelowVoice = 18;
        public const int BurstBelowPeak = 19;
        public const int AboveQuiet = 20;
        public const int AboveQuietLong = 21;
        public const int ModulationLong = 22;
        public const int FluxLong = 23;

        // Minimum statistics over 2.4 s in 8 blocks: long enough to span word gaps, short enough to follow
        // a level change.
        private const int FloorWindowMs = 2400;
        private const int FloorBlocks = 8;
        // The channel's voice level: the same 90th percentile, but after the first 3 s it moves at 5 dB/s, so it
        // remembers how loud the talker is through seconds of hold music, silence or noise. Levels are given against
        // it rather than against full scale: headsets and lines differ by 20 dB and more.
        private const float VoiceStepPerSecondDb = 5f;
        // The channel's "loud" level tracks the 90th percentile of frame levels: up 0.9 dB, down 0.1 dB a step.
        private const float PeakStepDb = 1f;
        private const float PeakQuantile = 0.9f;
        // The loudest recent frame, forgotten at 25 dB/s: how loud the current burst of sound got. A talker's own
        // bursts reach their usual level; a voice in the background (a neighbour, a television) stays under it.
        private const float BurstDecayPerSecondDb = 25f;
        /// <summary>
        /// How long the channel's levels take to learn: until then the quiet and voice levels follow each frame at once
        /// and the noise floor has not filled its window, so the features describe the start of the audio, not the line.
        /// </summary>
        public const int SettleMs = 3000;

        // The channel's quiet level follows its noise floor by at most 0.3 dB/s up and 1 dB/s down, so through
        // seconds of music, or of a line gone dead, it still remembers the call's own background; in the first
        // SettleMs it follows at once. A floor at digital silence (Decibels.DigitalSilenceDb) is no background.
        private const float QuietRisePerSecondDb = 0.3f;
        private const float QuietFallPerSecondDb = 1f;

        private readonly NoiseFloor _floor;
        private readonly NoiseFloor[] _bandFloors;
        private readonly float[] _shape = new float[BandAnalyser.Bands];
        private readonly float _shortAlpha;
        private readonly float _modulationAlpha;
        private readonly float _longAlpha;
        private readonly float _burstDecayDb;
        private float _burstDb;
        private readonly float _quietRiseDb;
        private readonly float _quietFallDb;
        private readonly int _settleFrames;
        private readonly float _windowAlpha;
        private float _quietDb = -1f;
        private int _frames;
        private float _aboveQuietLong;
        private float _modulationLong;
        private float _fluxLong;
        private float _peakDb;
        private float _voiceDb;
        private readonly float _voiceStepDb;
        private float _previousDb;
        private float _snrShort;
        private float _modulation;
        private float _snrLong;
        private bool _started;

        public SpeechFeatures(int frameMs)
        {
            _floor = new NoiseFloor(frameMs, FloorWindowMs, FloorBlocks);
            _bandFloors = new NoiseFloor[BandAnalyser.Bands];
            for (int b = 0; b < _bandFloors.Length; b++)
            {
                _bandFloors[b] = new NoiseFloor(frameMs, FloorWindowMs, FloorBlocks);
            }

            // Exponential averages over about 100, 250 and 600 ms, whatever the frame length.
            _shortAlpha = frameMs / 100f;
            _modulationAlpha = frameMs / 250f;
            _longAlpha = frameMs / 600f;
            _burstDecayDb = BurstDecayPerSecondDb * frameMs / 1000f;
            _quietRiseDb = QuietRisePerSecondDb * frameMs / 1000f;
            _quietFallDb = QuietFallPerSecondDb * frameMs / 1000f;
            _settleFrames = SettleMs / frameMs;
            _voiceStepDb = VoiceStepPerSecondDb * frameMs / 1000f;
            // Averages over about 2 s: what a hold looks like, as opposed to a frame of it.
            _windowAlpha = frameMs / 2000f;
            Values = new float[Count];
        }

        /// <summary>The feature vector of the last frame (tens of dB).</summary>
        public float[] Values { get; private set; }

        /// <summary>The channel's noise floor (dB, <see cref="BandAnalyser"/> units).</summary>
        public float FloorDb { get { return _floor.Value; } }

        /// <summary>This frame's level against the channel's loud level (the 90th percentile of its frames), in dB.</summary>
        public float BelowPeakDb { get; private set; }

        /// <summary>This frame's level above the noise floor, in dB.</summary>
        public float SnrDb { get; private set; }

        public void Update(BandAnalyser bands)
        {
            float db = bands.TotalDb;
            float[] bandDb = bands.BandDb;
            if (!_started)
            {
                _started = true;
                _peakDb = db;
                _previousDb = db;
                for (int b = 0; b < _shape.Length; b++)
                {
                    _shape[b] = bandDb[b] - db;
                }
            }

            _floor.Update(db);
            SnrDb = db - _floor.Value;
            float[] v = Values;
            v[Snr] = SnrDb * 0.1f;
            float flux = 0f;
            for (int b = 0; b < BandAnalyser.Bands; b++)
            {
                NoiseFloor floor = _bandFloors[b];
                floor.Update(bandDb[b]);
                v[BandSnr + b] = (bandDb[b] - floor.Value) * 0.1f;
                float shape = bandDb[b] - db;
                float change = shape - _shape[b];
                flux += change < 0f ? -change : change;
                _shape[b] = shape;
                v[Shape + b] = (shape < -40f ? -40f : shape) * 0.1f;
            }

            _peakDb += db > _peakDb ? PeakStepDb * PeakQuantile : -PeakStepDb * (1f - PeakQuantile);
            _voiceDb = _frames < _settleFrames ? _peakDb
                : _voiceDb + (db > _voiceDb ? _voiceStepDb * PeakQuantile : -_voiceStepDb * (1f - PeakQuantile));
            _burstDb = db > _burstDb - _burstDecayDb ? db : _burstDb - _burstDecayDb;
            float floorDb = _floor.Value;
            if (floorDb >= Decibels.DigitalSilenceDb)
            {
                bool settling = _quietDb < 0f || _frames < _settleFrames;
                _quietDb = settling ? floorDb
                    : floorDb > _quietDb + _quietRiseDb ? _quietDb + _quietRiseDb
                    : floorDb < _quietDb - _quietFallDb ? _quietDb - _quietFallDb
                    : floorDb;
            }

            _frames++;
            float aboveQuiet = _quietDb < 0f ? 0f : db - _quietDb;
            _aboveQuietLong += (aboveQuiet - _aboveQuietLong) * _windowAlpha;
            _fluxLong += (flux - _fluxLong) * _windowAlpha;
            float delta = db - _previousDb;
            float jump = delta < 0f ? -delta : delta;
            _previousDb = db;
            _modulationLong += (jump - _modulationLong) * _windowAlpha;
            _snrShort += (SnrDb - _snrShort) * _shortAlpha;
            _modulation += (jump - _modulation) * _modulationAlpha;
            _snrLong += (SnrDb - _snrLong) * _longAlpha;

            BelowPeakDb = db - _peakDb;
            v[BelowPeak] = BelowPeakDb * 0.1f;
            v[Delta] = delta * 0.1f;
            v[Flux] = flux * 0.02f;
            v[SnrShort] = _snrShort * 0.1f;
            v[Modulation] = _modulation * 0.1f;
            v[SnrLong] = _snrLong * 0.1f;
            v[BelowVoice] = (db - _voiceDb) * 0.1f;
            v[FloorBelowVoice] = (_floor.Value - _voiceDb) * 0.1f;
            v[BurstBelowPeak] = (_burstDb - _peakDb) * 0.1f;
            v[AboveQuiet] = aboveQuiet * 0.1f;
            v[AboveQuietLong] = _aboveQuietLong * 0.1f;
            v[ModulationLong] = _modulationLong * 0.1f;
            v[FluxLong] = _fluxLong * 0.02f;
        }
    }
}
