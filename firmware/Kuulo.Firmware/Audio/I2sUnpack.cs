namespace Kuulo.Firmware.Audio
{
    /// <summary>
    /// Turns raw I2S bytes (16 kHz, stereo, 32-bit little-endian slots holding the PCM1808's 24-bit samples
    /// left-justified) into the core's 8 kHz interleaved frame: the first of each two input frames, keeping the upper
    /// 16 bits (why no averaging: firmware/Kuulo.Firmware/README.md, CPU budget). Written out by hand, one loop and no
    /// calls: under the device's IL interpreter a helper call per slot cost more than the whole core (measured with
    /// tests/Kuulo.Firmware.Bench). No nanoFramework type here, so the host benchmark and tests compile it too.
    /// </summary>
    public static class I2sUnpack
    {
        /// <summary>Bytes of one stereo input frame: two 4-byte slots (left, right).</summary>
        public const int BytesPerInputFrame = 8;

        /// <summary>Unpacks <paramref name="count"/> bytes of <paramref name="raw"/> into <paramref name="frame"/> (count / 8 shorts).</summary>
        public static void Decimate(byte[] raw, int count, short[] frame)
        {
            int o = 0, i = 0;

            // The first of each two stereo input frames; bytes 2 and 3 of a slot are its upper 16 bits. Four output
            // pairs a pass, at constant offsets: the interpreter pays for every loop test and index step.
            for (; i + 63 < count; i += 64)
            {
                frame[o] = (short)(raw[i + 2] | (raw[i + 3] << 8));
                frame[o + 1] = (short)(raw[i + 6] | (raw[i + 7] << 8));
                frame[o + 2] = (short)(raw[i + 18] | (raw[i + 19] << 8));
                frame[o + 3] = (short)(raw[i + 22] | (raw[i + 23] << 8));
                frame[o + 4] = (short)(raw[i + 34] | (raw[i + 35] << 8));
                frame[o + 5] = (short)(raw[i + 38] | (raw[i + 39] << 8));
                frame[o + 6] = (short)(raw[i + 50] | (raw[i + 51] << 8));
                frame[o + 7] = (short)(raw[i + 54] | (raw[i + 55] << 8));
                o += 8;
            }

            // What is left of a buffer that is not a multiple of four pairs (10 and 20 ms frames are).
            for (; i + 15 < count; i += 16)
            {
                frame[o] = (short)(raw[i + 2] | (raw[i + 3] << 8));
                frame[o + 1] = (short)(raw[i + 6] | (raw[i + 7] << 8));
                o += 2;
            }
        }
    }
}
