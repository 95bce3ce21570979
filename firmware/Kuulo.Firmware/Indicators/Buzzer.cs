using System;
using System.Device.Pwm;

namespace Kuulo.Firmware.Indicators
{
    /// <summary>A short, quiet 2 kHz chirp on the passive piezo: private enough not to be heard on the call.</summary>
    public sealed class Buzzer : IDisposable
    {
        private const int ChirpMs = 120;
        private readonly PwmChannel _channel = PwmChannel.CreateFromPin(Pins.Buzzer, 2000, 0);
        private long _offAtMs;

        public void Chirp(long nowMs)
        {
            _channel.DutyCycle = 0.1;
            _channel.Start();
            _offAtMs = nowMs + ChirpMs;
        }

        /// <summary>Called every frame; stops the tone when its time is up.</summary>
        public void Tick(long nowMs)
        {
            if (_offAtMs != 0 && nowMs >= _offAtMs)
            {
                _channel.Stop();
                _offAtMs = 0;
            }
        }

        public void Dispose()
        {
            _channel.Dispose();
        }
    }
}
