using Kuulo.Core;
using Kuulo.Core.Config;
using Kuulo.Core.Protocol;
using Kuulo.Firmware.Audio;

namespace Kuulo.Firmware.Bench;

/// <summary>
/// The firmware's audio loop on the host: 20 ms of raw I2S bytes (16 kHz stereo, 32-bit slots) unpacked to the
/// core's 8 kHz frame and processed, as <c>Program.Main</c> and <c>DeskDevice.ProcessFrame</c> do on the unit
/// (without the LED, buzzer and button, which are driver calls). Runs inside the rewritten copy of this assembly.
/// </summary>
public sealed class FramePath : IDeskListener
{
    public const int CoreRate = 8000;
    public const int FrameMs = 20;
    public const int CoreSamplesPerFrame = CoreRate / 1000 * FrameMs;
    public const int RawBytesPerFrame = CoreSamplesPerFrame * 2 * I2sUnpack.BytesPerInputFrame;

    /// <summary>Frames during which the counted code allocated.</summary>
    public int FramesThatAllocated { get; private set; }

    public int Frames { get; private set; }

    public int Alerts { get; private set; }

    /// <summary>Runs one call over the whole of <paramref name="raw"/>: call start, every frame, call end.</summary>
    public void Run(byte[] raw)
    {
        var engine = new DeskEngine(new DeskConfig(), CoreRate, this);
        var frame = new short[CoreSamplesPerFrame * 2];
        var chunk = new byte[RawBytesPerFrame];
        engine.Input(DeskInput.CallStart);
        for (int offset = 0; offset + RawBytesPerFrame <= raw.Length; offset += RawBytesPerFrame)
        {
            // The driver fills the same buffer every 20 ms; the copy stands in for the DMA, not counted.
            Buffer.BlockCopy(raw, offset, chunk, 0, RawBytesPerFrame);
            long before = IlCounters.TotalAllocations();
            I2sUnpack.Decimate(chunk, chunk.Length, frame);
            engine.ProcessFrame(frame, 0);
            if (IlCounters.TotalAllocations() != before)
            {
                FramesThatAllocated++;
            }

            Frames++;
        }

        engine.Input(DeskInput.CallEnd);
    }

    public void OnEvent(int type, int timeMs, int stage) { }

    public void OnAlert(int type, int timeMs, int stage, int pattern, bool buzz) => Alerts++;

    public void OnCallEnded(CallSummary summary) { }
}
