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
            int o = 0;
            for (int i = 0; i + 15 < count; i += 16)
            {
                // The first of each two stereo input frames; bytes 2 and 3 of a slot are its upper 16 bits.
                frame[o] = (short)(raw[i + 2] | (raw[i + 3] << 8));
                frame[o + 1] = (short)(raw[i + 6] | (raw[i + 7] << 8));
                o += 2;
            }
        }
    }
}
