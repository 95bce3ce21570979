namespace Kuulo.Core.Audio
{
    /// <summary>
    /// What the voice model sees of one channel, frame by frame: band levels against their own noise floors,
    /// the spectral shape and how fast it moves, the level against the channel's loud frames, and short
    /// smoothed histories of these (syllables come and go at 2-8 Hz; noise and music mostly do not). All are
    /// in tens of dB so they share a scale. Computed from <see cref="BandAnalyser"/> output in a few dozen
    /// operations per frame; nothing here depends on the detector's own decisions, so training on labelled
    /// audio sees exactly what the device sees.
    /// </summary>
    public sealed class SpeechFeatures
    {
        public const int Count = 19;

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
        public const int Level = 17;
        public const int FloorLevel = 18;

        // Minimum statistics over 2.4 s in 8 blocks: long enough to span word gaps, short enough to follow
        // a level change.
        private const int FloorWindowMs = 2400;
        private const int FloorBlocks = 8;
        // dB of a full-scale square wave in BandAnalyser's units: levels are given relative to it.
        private const float FullScaleDb = 90.3f;
        // The channel's "loud" level tracks the 90th percentile of frame levels: up 0.9 dB, down 0.1 dB a step.
        private const float PeakStepDb = 1f;
        private const float PeakQuantile = 0.9f;

        private readonly NoiseFloor _floor;
        private readonly NoiseFloor[] _bandFloors;
        private readonly float[] _shape = new float[BandAnalyser.Bands];
        private readonly float _shortAlpha;
        private readonly float _modulationAlpha;
        private readonly float _longAlpha;
        private float _peakDb;
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
            Values = new float[Count];
            BandFloorDb = new float[BandAnalyser.Bands];
        }

        /// <summary>The feature vector of the last frame (tens of dB).</summary>
        public float[] Values { get; private set; }

        /// <summary>The channel's noise floor (dB, <see cref="BandAnalyser"/> units).</summary>
        public float FloorDb { get { return _floor.Value; } }

        /// <summary>The noise floor of each band.</summary>
        public float[] BandFloorDb { get; private set; }

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
                BandFloorDb[b] = floor.Value;
                v[BandSnr + b] = (bandDb[b] - floor.Value) * 0.1f;
                float shape = bandDb[b] - db;
                float change = shape - _shape[b];
                flux += change < 0f ? -change : change;
                _shape[b] = shape;
                v[Shape + b] = (shape < -40f ? -40f : shape) * 0.1f;
            }

            _peakDb += db > _peakDb ? PeakStepDb * PeakQuantile : -PeakStepDb * (1f - PeakQuantile);
            float delta = db - _previousDb;
            _previousDb = db;
            _snrShort += (SnrDb - _snrShort) * _shortAlpha;
            _modulation += ((delta < 0f ? -delta : delta) - _modulation) * _modulationAlpha;
            _snrLong += (SnrDb - _snrLong) * _longAlpha;

            v[BelowPeak] = (db - _peakDb) * 0.1f;
            v[Delta] = delta * 0.1f;
            v[Flux] = flux * 0.02f;
            v[SnrShort] = _snrShort * 0.1f;
            v[Modulation] = _modulation * 0.1f;
            v[SnrLong] = _snrLong * 0.1f;
            v[Level] = (db - FullScaleDb) * 0.1f;
            v[FloorLevel] = (_floor.Value - FullScaleDb) * 0.1f;
        }
    }
}
