using System.Diagnostics;

namespace Kuulo.Corpus;

/// <summary>
/// Runs the sox command on audio held in memory (raw 32-bit float, mono, 8 kHz on both sides of the pipe).
/// Always with -R (sox's random numbers seeded the same on every run) and -D (no dither), so a corpus stays
/// byte-identical for a seed.
/// </summary>
public static class Sox
{
    private const string RawFloat = "-t raw -r 8000 -e floating-point -b 32 -c 1";

    /// <summary>Applies sox effects, e.g. <c>sinc 300-3400</c> or <c>reverb 50 50 100</c>.</summary>
    public static float[] Effects(float[] input, string effects) =>
        FromBytes(Run($"-R -D {RawFloat} - {RawFloat} - {effects}", ToBytes(input)), input.Length);

    /// <summary>Encodes to a codec and decodes back, e.g. <c>-t raw -e u-law -b 8</c> or <c>-t gsm</c>.</summary>
    public static float[] RoundTrip(float[] input, string codec)
    {
        var encoded = Run($"-R -D {RawFloat} - -r 8000 -c 1 {codec} -", ToBytes(input));
        return FromBytes(Run($"-R -D -r 8000 -c 1 {codec} - {RawFloat} -", encoded), input.Length);
    }

    /// <summary>Decodes a sound file sox understands (GSM, A-law...) to 8 kHz mono.</summary>
    public static float[] Decode(string path) =>
        FromBytes(Run($"-R -D \"{path}\" {RawFloat} -", null), -1);

    private static byte[] Run(string arguments, byte[]? input)
    {
        var start = new ProcessStartInfo("sox", arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CorpusException("sox did not start");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new CorpusException("sox is missing: install the Debian package sox");
        }

        using (process)
        {
            // Feed and drain at once: sox streams, and a full pipe on either side would block both processes.
            var writer = Task.Run(() =>
            {
                using var stdin = process.StandardInput.BaseStream;
                if (input != null)
                {
                    stdin.Write(input);
                }
            });
            var errors = process.StandardError.ReadToEndAsync();
            using var output = new MemoryStream();
            process.StandardOutput.BaseStream.CopyTo(output);
            writer.Wait();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new CorpusException($"sox {arguments} failed: {errors.Result.Trim()}");
            }

            return output.ToArray();
        }
    }

    private static byte[] ToBytes(float[] samples)
    {
        var bytes = new byte[samples.Length * 4];
        Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>Back to floats; a filter's output is cut or zero-padded to <paramref name="length"/> (-1: as it came).</summary>
    private static float[] FromBytes(byte[] bytes, int length)
    {
        var samples = new float[length < 0 ? bytes.Length / 4 : length];
        Buffer.BlockCopy(bytes, 0, samples, 0, Math.Min(bytes.Length / 4, samples.Length) * 4);
        return samples;
    }
}
