using System;
using System.Device.Pwm;
using Kuulo.Core.Alerts;

namespace Kuulo.Firmware.Indicators
{
    /// <summary>The RGB desk LED, driven by three PWM channels, showing the core's <see cref="IndicatorPattern"/>.</summary>
    public sealed class Led : IDisposable
    {
        private readonly PwmChannel _red;
        private readonly PwmChannel _green;
        private readonly PwmChannel _blue;
        private double _brightness = 0.6;

        public Led()
        {
            _red = PwmChannel.CreateFromPin(Pins.LedRed, 1000, 0);
            _green = PwmChannel.CreateFromPin(Pins.LedGreen, 1000, 0);
            _blue = PwmChannel.CreateFromPin(Pins.LedBlue, 1000, 0);
            _red.Start();
            _green.Start();
            _blue.Start();
        }

        /// <summary>0-100 %, from the configuration's led_brightness.</summary>
        public void SetBrightness(int percent)
        {
            _brightness = percent / 100.0;
        }

        /// <summary>Shows <paramref name="pattern"/> at <paramref name="nowMs"/> (blinking patterns alternate by time).</summary>
        public void Show(int pattern, long nowMs)
        {
            bool slowOn = nowMs / 500 % 2 == 0;
            bool fastOn = nowMs / 150 % 2 == 0;
            switch (pattern)
            {
                case IndicatorPattern.InCall: Set(0, 0.15, 0); break;
                case IndicatorPattern.Interruption: Set(1, 0.5, 0); break;
                case IndicatorPattern.DeadAir: Set(0, 0, slowOn ? 1 : 0); break;
                case IndicatorPattern.DeadAirUrgent: Set(0, 0, fastOn ? 1 : 0); break;
                case IndicatorPattern.Monologue: Set(slowOn ? 1 : 0, slowOn ? 0.5 : 0, 0); break;
                case IndicatorPattern.Paused: Set(0.1, 0.1, 0.1); break;
                default: Set(0, 0, 0); break;
            }
        }

        public void Dispose()
        {
            _red.Dispose();
            _green.Dispose();
            _blue.Dispose();
        }

        private void Set(double red, double green, double blue)
        {
            _red.DutyCycle = red * _brightness;
            _green.DutyCycle = green * _brightness;
            _blue.DutyCycle = blue * _brightness;
        }
    }
}
