using System;
using System.Device.Gpio;
using Kuulo.Core;

namespace Kuulo.Firmware.Input
{
    /// <summary>
    /// The desk button: a short press starts or ends a call, a long press (over 1 s) toggles hold, a double press
    /// toggles mute. Presses are measured in the GPIO callback and handed to the audio loop as <see cref="DeskInput"/>s.
    /// </summary>
    public sealed class Button : IDisposable
    {
        private const int LongPressMs = 1000;
        private const int DoublePressMs = 400;
        private readonly GpioController _gpio = new GpioController();
        private long _downAt;
        private long _lastShortAt;
        private int _pending;

        public Button()
        {
            _gpio.OpenPin(Pins.Button, PinMode.InputPullUp);
            _gpio.RegisterCallbackForPinValueChangedEvent(Pins.Button, PinEventTypes.Falling | PinEventTypes.Rising, OnChanged);
        }

        /// <summary>The input a press produced since the last call, or 0; <paramref name="inCall"/>, <paramref name="onHold"/> and <paramref name="muted"/> pick which.</summary>
        public int Take(bool inCall, bool onHold, bool muted)
        {
            int kind = _pending;
            _pending = 0;
            if (kind == 1)
            {
                return inCall ? DeskInput.CallEnd : DeskInput.CallStart;
            }

            if (kind == 2)
            {
                return onHold ? DeskInput.Resume : DeskInput.Hold;
            }

            if (kind == 3)
            {
                return muted ? DeskInput.Unmute : DeskInput.Mute;
            }

            return 0;
        }

        public void Dispose()
        {
            _gpio.Dispose();
        }

        private void OnChanged(object sender, PinValueChangedEventArgs e)
        {
            long now = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
            if (e.ChangeType == PinEventTypes.Falling)
            {
                _downAt = now;
                return;
            }

            if (now - _downAt >= LongPressMs)
            {
                _pending = 2;
            }
            else if (now - _lastShortAt <= DoublePressMs)
            {
                _pending = 3;
                _lastShortAt = 0;
            }
            else
            {
                _pending = 1;
                _lastShortAt = now;
            }
        }
    }
}
