namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Splits one channel of a frame into five octave-wide bands (0-250, 250-500, 500-1000, 1000-2000 and
    /// 2000-4000 Hz at the 8 kHz working rate) with a four-level Haar cascade of sums and differences, the
    /// way WebRTC's VAD splits with half-band filters, and reports each band's mean power in dB. Integer sums
    /// and differences only, about one multiply per sample: the device runs this on every sample of both
    /// channels. At 16 kHz, pairs of samples are averaged first, so the bands mean the same at both rates.
    /// </summary>
    public sealed class BandAnalyser
    {
        public const int Bands = 5;

        // Input samples per working-rate (8 kHz) sample.
        private readonly int _step;
        private readonly long[] _energy = new long[Bands];
        private readonly short[] _decimated;
        private float _voiceBandPower;
        // The channel's DC offset, followed slowly as a frame's sum of lowest-band blocks in 1/256 units; the shift
        // makes its time constant about 0.6 s at 10 and 20 ms frames, far slower than any sound the bands measure.
        private readonly int _dcShift;
        private long _dcFrameSum;
        private bool _dcKnown;

        public BandAnalyser(int sampleRate, int frameSamples)
        {
            _step = sampleRate == 16000 ? 2 : 1;
            _dcShift = frameSamples / _step >= 160 ? 5 : 6;
            _decimated = new short[frameSamples];
            BandDb = new float[Bands];
        }

        /// <summary>
        /// Mean power per band, 10·log10(1 + power in 16-bit units squared); index 0 is the lowest band, without the
        /// channel's DC offset.
        /// </summary>
        public float[] BandDb { get; private set; }

        /// <summary>Mean power of the whole frame, without the channel's DC offset, in the same dB units.</summary>
        public float TotalDb { get; private set; }

        /// <summary>
        /// Mean power above 250 Hz in the same dB units: where a telephone line carries voice, and free of any DC
        /// offset from its first frame (a codec's digital silence decodes to a small constant, which the lowest band
        /// lets go of only over the offset's 0.6 s). Worked out when asked: only the hold detector needs it, on one
        /// channel.
        /// </summary>
        public float VoiceBandDb { get { return Decibels.PowerToDb(_voiceBandPower); } }

        /// <summary>
        /// Analyses one channel of an interleaved stereo frame of <paramref name="samples"/> samples per channel,
        /// which must be a multiple of 16 at 8 kHz (32 at 16 kHz): 10 and 20 ms frames are.
        /// </summary>
        public void Analyse(short[] interleaved, int offset, int channel, int samples)
        {
            int n = samples / _step;
            if (_step == 1)
            {
                Split(interleaved, offset + channel, n);
            }
            else
            {
                // 16 kHz (host only; the device captures at 8 kHz): average pairs, a cheap anti-alias step, into
                // every other slot so the split reads it with the same stride as an interleaved frame.
                for (int k = 0, i = offset + channel; k < n; k++, i += 4)
                {
                    _decimated[2 * k] = (short)((interleaved[i] + interleaved[i + 2]) >> 1);
                }

                Split(_decimated, 0, n);
            }

            // Each unnormalised Haar level doubles the energy: scale back so the bands add up to the frame's power.
            float lowest = _energy[0] / (n * Scale(0));
            BandDb[0] = Decibels.PowerToDb(lowest);
            float total = lowest;
            for (int b = 1; b < Bands; b++)
            {
                float power = _energy[b] / (n * Scale(b));
                total += power;
                BandDb[b] = Decibels.PowerToDb(power);
            }

            TotalDb = Decibels.PowerToDb(total);
            _voiceBandPower = total - lowest;
        }

        // Reads every other short from i (one channel of an interleaved frame). Unrolled on purpose, with
        // constant offsets: in an interpreter, locals and constants are several times cheaper than loops, arrays
        // or calls, and this runs on every sample of both channels. A squared difference is taken as an unsigned
        // 32-bit product: it fits, and needs no 64-bit multiply.
        private void Split(short[] x, int i, int count)
        {
            long e0 = 0, e1 = 0, e2 = 0, e3 = 0, e4 = 0, sum = 0;
            int end = i + 2 * count;
            while (i < end)
            {
                // Level 1 (2-4 kHz): sums of pairs go on, differences are the top band.
                int y0 = x[i], y1 = x[i + 2];
                int a0 = y0 + y1, d = y0 - y1;
                e4 += (uint)(d * d);
                y0 = x[i + 4]; y1 = x[i + 6];
                int a1 = y0 + y1; d = y0 - y1;
                e4 += (uint)(d * d);
                y0 = x[i + 8]; y1 = x[i + 10];
                int a2 = y0 + y1; d = y0 - y1;
                e4 += (uint)(d * d);
                y0 = x[i + 12]; y1 = x[i + 14];
                int a3 = y0 + y1; d = y0 - y1;
                e4 += (uint)(d * d);
                y0 = x[i + 16]; y1 = x[i + 18];
                int a4 = y0 + y1; d = y0 - y1;
                e4 += (uint)(d * d);
                y0 = x[i + 20]; y1 = x[i + 22];
                int a5 = y0 + y1; d = y0 - y1;
                e4 += (uint)(d * d);
                y0 = x[i + 24]; y1 = x[i + 26];
                int a6 = y0 + y1; d = y0 - y1;
                e4 += (uint)(d * d);
                y0 = x[i + 28]; y1 = x[i + 30];
                int a7 = y0 + y1; d = y0 - y1;
                e4 += (uint)(d * d);

                // Level 2 (1-2 kHz); from here on a difference can exceed 2^16, so it is squared in 64 bits.
                int b0 = a0 + a1; d = a0 - a1; e3 += (long)d * d;
                int b1 = a2 + a3; d = a2 - a3; e3 += (long)d * d;
                int b2 = a4 + a5; d = a4 - a5; e3 += (long)d * d;
                int b3 = a6 + a7; d = a6 - a7; e3 += (long)d * d;

                // Level 3 (500-1000 Hz).
                int c0 = b0 + b1; d = b0 - b1; e2 += (long)d * d;
                int c1 = b2 + b3; d = b2 - b3; e2 += (long)d * d;

                // Level 4 (250-500 Hz), and what is left below 250 Hz.
                d = c0 - c1; e1 += (long)d * d;
                d = c0 + c1; e0 += (long)d * d; sum += d;
                i += 32;
            }

            _energy[0] = WithoutOffset(e0, sum, count >> 4);
            _energy[1] = e1;
            _energy[2] = e2;
            _energy[3] = e3;
            _energy[4] = e4;
        }

        // A DC offset (an ADC's bias, a recording's, or the small constant a codec's digital silence decodes to) is
        // no sound, but the lowest band takes it whole, and at a few hundred it stands over a quiet room and every
        // pause. Each block of that band is measured from the slowly followed offset instead of from zero:
        // sum((S - m)^2) = sum(S^2) - 2m sum(S) + blocks m^2, exactly, in integers. An offset of c moves every block
        // S by 16c and, with the floor division, m by exactly 16c: the result is the same with the offset or without.
        private long WithoutOffset(long energy, long sum, long blocks)
        {
            long scaled = sum << 8;
            _dcFrameSum = _dcKnown ? _dcFrameSum + ((scaled - _dcFrameSum) >> _dcShift) : scaled;
            _dcKnown = true;
            long m = FloorDivide(_dcFrameSum + 128 * blocks, 256 * blocks);
            return energy - 2 * m * sum + blocks * m * m;
        }

        // Rounds down, negative or not (C# division rounds toward zero), so adding k divisors adds exactly k.
        private static long FloorDivide(long x, long divisor)
        {
            long q = x / divisor;
            return q * divisor > x ? q - 1 : q;
        }

        // The top band went through one level (factor 2), the next two, and so on; the two lowest through four.
        private static float Scale(int band)
        {
            return band == 0 || band == 1 ? 16f : band == 2 ? 8f : band == 3 ? 4f : 2f;
        }
    }
}
