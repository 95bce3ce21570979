// The LED, buzzer and button drivers' nanoFramework APIs, as plain recorders, so the firmware's Led, Buzzer and
// Button compile on the host unchanged. Only the members nanoframework-api.txt lists for them.
namespace System.Device.Pwm
{
    public sealed class PwmChannel : IDisposable
    {
        private PwmChannel(int pin) => Pin = pin;

        public int Pin { get; }
        public double DutyCycle { get; set; }
        public bool Running { get; private set; }

        public static PwmChannel CreateFromPin(int pin, int frequency = 400, double dutyCyclePercentage = 0.5) =>
            new(pin) { DutyCycle = dutyCyclePercentage };

        public void Start() => Running = true;
        public void Stop() => Running = false;
        public void Dispose() { }
    }
}

namespace System.Device.Gpio
{
    public enum PinMode { Input, InputPullDown, InputPullUp }

    [Flags]
    public enum PinEventTypes { None = 0, Rising = 1, Falling = 2 }

    public class PinValueChangedEventArgs(PinEventTypes changeType, int pinNumber) : EventArgs
    {
        public PinEventTypes ChangeType { get; } = changeType;
        public int PinNumber { get; } = pinNumber;
    }

    public delegate void PinChangeEventHandler(object sender, PinValueChangedEventArgs pinValueChangedEventArgs);

    public sealed class GpioPin : IDisposable
    {
        public void Dispose() { }
    }

    public sealed class GpioController : IDisposable
    {
        public GpioPin OpenPin(int pinNumber, PinMode mode) => new();
        public void RegisterCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) { }
        public void Dispose() { }
    }
}
