namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Minimum-statistics noise floor: the lowest frame power over the last few seconds, kept as
    /// minima of short blocks so each frame costs a handful of comparisons. Speech always has gaps
    /// between words, so the minimum finds the noise under it; a steady sound (music, a fan) becomes
    /// the floor within one window.
    /// </summary>
    public sealed class NoiseFloor
    {
        // Floor for digital silence: about -100 dBFS, so ratios stay finite.
        private const float Smallest = 1e-1f;
        private readonly float[] _blockMins;
        private readonly int _framesPerBlock;
        private int _block;
        private int _framesInBlock;
        private float _current;
        private bool _filled;

        public NoiseFloor(int frameMs, int windowMs, int blocks)
        {
            _blockMins = new float[blocks];
            _framesPerBlock = windowMs / blocks / frameMs;
            if (_framesPerBlock < 1)
            {
                _framesPerBlock = 1;
            }

            Reset();
        }

        /// <summary>Current floor power (same units as <see cref="FrameFeatures.Power"/>).</summary>
        public float Value { get; private set; }

        public void Reset()
        {
            for (int i = 0; i < _blockMins.Length; i++)
            {
                _blockMins[i] = float.MaxValue;
            }

            _current = float.MaxValue;
            _block = 0;
            _framesInBlock = 0;
            _filled = false;
            Value = Smallest;
        }

        public void Update(float power)
        {
            if (power < _current)
            {
                _current = power;
            }

            if (++_framesInBlock == _framesPerBlock)
            {
                _blockMins[_block] = _current;
                _block = (_block + 1) % _blockMins.Length;
                if (_block == 0)
                {
                    _filled = true;
                }

                _current = float.MaxValue;
                _framesInBlock = 0;
            }

            float min = _current;
            int count = _filled ? _blockMins.Length : _block;
            for (int i = 0; i < count; i++)
            {
                if (_blockMins[i] < min)
                {
                    min = _blockMins[i];
                }
            }

            Value = min < Smallest ? Smallest : min;
        }
    }
}
