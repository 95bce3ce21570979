namespace Kuulo.Core.Audio
{
    /// <summary>
    /// dB to power-ratio conversion without System.Math, which nanoFramework keeps out of mscorlib.
    /// Only used when a configuration is applied, never per frame.
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
    }
}
