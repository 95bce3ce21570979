namespace Kuulo.Firmware
{
    /// <summary>ESP32 pin assignment; hardware/README.md has the same table and the wiring diagram.</summary>
    public static class Pins
    {
        // I2S ADC (PCM1808): master clock, bit clock, word select, data in.
        public const int I2sMasterClock = 0;
        public const int I2sBitClock = 26;
        public const int I2sWordSelect = 25;
        public const int I2sDataIn = 35;

        // RGB LED (common cathode), one PWM channel per colour.
        public const int LedRed = 21;
        public const int LedGreen = 22;
        public const int LedBlue = 23;

        // Passive piezo buzzer, PWM tone.
        public const int Buzzer = 19;

        // Push button to ground, internal pull-up.
        public const int Button = 18;
    }
}
