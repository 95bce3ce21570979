namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Minimum-statistics noise floor: the lowest frame level over the last few seconds, kept as minima of
    /// short blocks. Speech always has gaps between words, so the minimum finds the noise under it; a steady
    /// sound (music, a fan) becomes the floor within one window. The minimum of the finished blocks is
    /// recomputed only when a block finishes, so a frame costs two comparisons.
    /// </summary>
    public sealed class NoiseFloor
    {
        private readonly float[] _blockMins;
        private readonly int _framesPerBlock;
        private int _block;
        private int _framesInBlock;
        private float _current;
        private float _finished;

        public NoiseFloor(int frameMs, int windowMs, int blocks)
        {
            _blockMins = new float[blocks];
            _framesPerBlock = windowMs / blocks / frameMs;
            if (_framesPerBlock < 1)
            {
                _framesPerBlock = 1;
            }

            for (int i = 0; i < _blockMins.Length; i++)
            {
                _blockMins[i] = float.MaxValue;
            }

            _current = float.MaxValue;
            _finished = float.MaxValue;
        }

        /// <summary>Current floor, in the units of the levels fed in (dB in the engine).</summary>
        public float Value { get; private set; }

        public void Update(float level)
        {
            if (level < _current)
            {
                _current = level;
            }

            if (++_framesInBlock == _framesPerBlock)
            {
                _blockMins[_block] = _current;
                _block = (_block + 1) % _blockMins.Length;
                _current = float.MaxValue;
                _framesInBlock = 0;
                _finished = float.MaxValue;
                for (int i = 0; i < _blockMins.Length; i++)
                {
                    if (_blockMins[i] < _finished)
                    {
                        _finished = _blockMins[i];
                    }
                }
            }

            Value = _current < _finished ? _current : _finished;
        }
    }
}
