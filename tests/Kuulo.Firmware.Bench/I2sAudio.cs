using Kuulo.Desk.Audio;

namespace Kuulo.Firmware.Bench;

/// <summary>Audio as the PCM1808 clocks it out to the ESP32: 16 kHz, stereo, each sample in the upper bytes of a 32-bit slot.</summary>
public static class I2sAudio
{
    public static byte[] FromWav(string file, out double seconds)
    {
        using var wav = WavReader.Open(file);
        var pcm = new short[wav.Frames * 2];
        int read = wav.Read(pcm);
        seconds = read / 2.0 / wav.SampleRate;
        return FromPcm(pcm.AsSpan(0, read), wav.SampleRate);
    }

    /// <summary>Interleaved 16-bit stereo at 8 or 16 kHz; 8 kHz samples are repeated to make 16 kHz.</summary>
    public static byte[] FromPcm(ReadOnlySpan<short> pcm, int sampleRate)
    {
        int repeat = 16000 / sampleRate;
        var raw = new byte[(long)pcm.Length / 2 * repeat * 8];
        int o = 0;
        for (int n = 0; n + 1 < pcm.Length; n += 2)
        {
            for (int r = 0; r < repeat; r++)
            {
                for (int channel = 0; channel < 2; channel++)
                {
                    raw[o + 2] = (byte)pcm[n + channel];
                    raw[o + 3] = (byte)(pcm[n + channel] >> 8);
                    o += 4;
                }
            }
        }

        return raw;
    }
}
