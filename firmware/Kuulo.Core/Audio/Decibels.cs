namespace Kuulo.Core.Audio
{
    /// <summary>
    /// dB conversions without System.Math, which nanoFramework keeps out of mscorlib. <see cref="PowerToDb"/>
    /// runs a few times per frame and is built for that; the others run when a configuration is applied.
    /// </summary>
    public static class Decibels
    {
        /// <summary>10^(db/10), accurate to well under 0.1 dB for |db| up to 100.</summary>
        public static float ToPowerRatio(float db)
        {
            bool negative = db < 0;
            float x = negative ? -db : db;
            float result = 1f;

            // Whole 10 dB steps are exact factors of ten.
            while (x >= 10f)
            {
                result *= 10f;
                x -= 10f;
            }

            // 10^(x/10) = e^(x * ln10 / 10); the series converges fast for the remainder below 10 dB.
            float y = x * 0.2302585f;
            float term = 1f;
            float sum = 1f;
            for (int n = 1; n < 16; n++)
            {
                term *= y / n;
                sum += term;
            }

            result *= sum;
            return negative ? 1f / result : result;
        }

        /// <summary>Approximate 10·log10 of a power ratio (±0.05 dB); used for reporting and tuning, not per frame.</summary>
        public static float FromPowerRatio(float ratio)
        {
            if (ratio <= 0f)
            {
                return -200f;
            }

            float db = 0f;
            while (ratio >= 10f)
            {
                ratio /= 10f;
                db += 10f;
            }

            while (ratio < 1f)
            {
                ratio *= 10f;
                db -= 10f;
            }

            // ln(r) for r in [1,10) via ln(r) = 2 atanh((r-1)/(r+1)).
            float z = (ratio - 1f) / (ratio + 1f);
            float z2 = z * z;
            float term = z;
            float sum = 0f;
            for (int n = 1; n < 40; n += 2)
            {
                sum += term / n;
                term *= z2;
            }

            return db + 2f * sum * 4.3429448f;
        }

        /// <summary>
        /// 10·log10(1 + <paramref name="power"/>), to about 0.01 dB: the one added to the power keeps digital
        /// silence at 0 dB. Range reduction by powers of two (no loop longer than six steps), then a quartic for
        /// log2 on [1, 2).
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
            float log2 = -1.7417939f + (2.8212026f + (-1.4699568f + (0.44717955f - 0.056570851f * x) * x) * x) * x;
            return (exponent + log2) * 3.0103f;
        }
    }
}
