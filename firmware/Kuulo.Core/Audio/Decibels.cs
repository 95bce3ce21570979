namespace Kuulo.Core.Audio
{
    /// <summary>
    /// Power to dB without System.Math, which nanoFramework keeps out of mscorlib. It runs six times per channel
    /// and frame, so it is built for that: no loops, no calls.
    /// </summary>
    public static class Decibels
    {
        /// <summary>Under this a channel carries digital silence: a couple of 16-bit steps, no room or line noise.</summary>
        public const float DigitalSilenceDb = 6f;

        /// <summary>
        /// 10·log10(1 + <paramref name="power"/>), to about 0.01 dB: the one added to the power keeps digital
        /// silence at 0 dB. Range reduction by six comparisons against powers of two, then a quartic for the natural
        /// logarithm on [1, 2), turned into log2.
        /// </summary>
        public static float PowerToDb(float power)
        {
            float x = power + 1f;
            float exponent = 0f;
            if (x >= 4294967296f) { x *= 2.3283064e-10f; exponent += 32f; }
            if (x >= 65536f) { x *= 1.5258789e-5f; exponent += 16f; }
            if (x >= 256f) { x *= 0.00390625f; exponent += 8f; }
            if (x >= 16f) { x *= 0.0625f; exponent += 4f; }
            if (x >= 4f) { x *= 0.25f; exponent += 2f; }
            if (x >= 2f) { x *= 0.5f; exponent += 1f; }
            float ln = -1.7417939f + (2.8212026f + (-1.4699568f + (0.44717955f - 0.056570851f * x) * x) * x) * x;
            return (exponent + ln * 1.4426950f) * 3.0103f;
        }
    }
}
