using System.Buffers.Binary;

namespace Kuulo.Corpus;

/// <summary>Reads the 8 kHz mono 16-bit PCM WAV files the Asterisk packages ship.</summary>
public static class Mono8k
{
    public static float[] Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int pos = 12;
        int channels = 0, rate = 0, bits = 0;
        while (pos + 8 <= bytes.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, pos, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos + 4));
            if (id == "fmt ")
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(pos + 10));
                rate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(pos + 12));
                bits = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(pos + 22));
            }
            else if (id == "data")
            {
                if (channels != 1 || rate != ClipLibrary.Rate || bits != 16)
                {
                    throw new CorpusException($"{path}: expected 8 kHz mono 16-bit PCM, found {rate} Hz, {channels} channel(s), {bits}-bit");
                }

                int count = Math.Min(size, bytes.Length - pos - 8) / 2;
                var samples = new float[count];
                for (int i = 0; i < count; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(pos + 8 + 2 * i)) / 32768f;
                }

                return samples;
            }

            pos += 8 + size + (size & 1);
        }

        throw new CorpusException($"{path}: no audio data");
    }
}
