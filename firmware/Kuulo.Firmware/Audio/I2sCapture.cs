using System;
using System.Device.I2s;
using nanoFramework.Hardware.Esp32;

namespace Kuulo.Firmware.Audio
{
    /// <summary>
    /// Reads the headset tap's two channels from the PCM1808 over I2S at 16 kHz (32-bit slots, the codec's 24-bit
    /// samples left-justified) and hands the core 20 ms frames at 8 kHz (<see cref="I2sUnpack"/>). 8 kHz is all a
    /// telephone voice carries and halves the core's work under the interpreter.
    /// </summary>
    public sealed class I2sCapture : IDisposable
    {
        public const int CaptureRate = 16000;
        public const int CoreRate = 8000;
        public const int FrameMs = 20;
        public const int CoreSamplesPerFrame = CoreRate / 1000 * FrameMs;

        private readonly I2sDevice _device;
        // 20 ms at 16 kHz, stereo, 4 bytes per slot.
        private readonly byte[] _raw = new byte[CaptureRate / 1000 * FrameMs * 2 * 4];

        public I2sCapture()
        {
            Configuration.SetPinFunction(Pins.I2sMasterClock, DeviceFunction.I2S1_MCK);
            Configuration.SetPinFunction(Pins.I2sBitClock, DeviceFunction.I2S1_BCK);
            Configuration.SetPinFunction(Pins.I2sWordSelect, DeviceFunction.I2S1_WS);
            Configuration.SetPinFunction(Pins.I2sDataIn, DeviceFunction.I2S1_MDATA_IN);
            var settings = new I2sConnectionSettings(1)
            {
                Mode = I2sMode.Master | I2sMode.Rx,
                BitsPerSample = I2sBitsPerSample.Bit32,
                ChannelFormat = I2sChannelFormat.RightLeft,
                CommunicationFormat = I2sCommunicationFormat.I2S,
                SampleRate = CaptureRate,
                BufferSize = _raw.Length * 4,
            };
            _device = new I2sDevice(settings);
        }

        /// <summary>Blocks until 20 ms have arrived and writes them, left = agent, right = customer, into <paramref name="frame"/>.</summary>
        public void ReadFrame(short[] frame)
        {
            _device.Read(new SpanByte(_raw));
            I2sUnpack.Decimate(_raw, _raw.Length, frame);
        }

        public void Dispose()
        {
            _device.Dispose();
        }
    }
}
