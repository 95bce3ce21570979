namespace Kuulo.Core.Audio
{
    /// <summary>
    /// The two numbers the detectors look at per channel and frame: mean power and spectral tilt.
    /// Tilt is the power of the first difference relative to the power of the signal: about 2 for
    /// white noise, well below 1 for voiced speech and music, whose energy sits at low frequencies.
    /// At 16 kHz the difference is taken over two samples, so the tilt means the same at both rates.
    /// </summary>
    public sealed class FrameFeatures
    {
        private readonly int _lag;
        private int _prev1;
        private int _prev2;

        public FrameFeatures(int sampleRate)
        {
            _lag = sampleRate == 16000 ? 2 : 1;
        }

        /// <summary>Mean square of the frame, in 16-bit units squared (0 .. 2^30).</summary>
        public float Power { get; private set; }

        /// <summary>Difference power / signal power; 2 for white noise.</summary>
        public float Tilt { get; private set; }

        /// <summary>Analyses one channel of an interleaved stereo frame.</summary>
        public void Analyse(short[] interleaved, int offset, int channel, int samples)
        {
            long energy = 0;
            long diffEnergy = 0;
            int prev1 = _prev1;
            int prev2 = _prev2;
            int end = offset + 2 * samples;
            for (int i = offset + channel; i < end; i += 2)
            {
                int x = interleaved[i];
                int d = _lag == 1 ? x - prev1 : x - prev2;
                energy += x * x;
                diffEnergy += d * d;
                prev2 = prev1;
                prev1 = x;
            }

            _prev1 = prev1;
            _prev2 = prev2;
            Power = (float)energy / samples;
            Tilt = energy > 0 ? (float)diffEnergy / energy : 2f;
        }
    }
}
