using System.Buffers.Binary;

namespace Kuulo.Desk.Audio;

/// <summary>
/// Streams a two-channel 16-bit PCM WAV (8 or 16 kHz) in interleaved frames, the way the desk's codec delivers
/// audio. Anything else is refused up front with a <see cref="WavFormatException"/> saying what is wrong.
/// </summary>
public sealed class WavReader : IDisposable
{
    private readonly Stream _stream;
    private readonly string _name;
    private long _remainingBytes;

    private WavReader(Stream stream, string name)
    {
        _stream = stream;
        _name = name;
    }

    public int SampleRate { get; private set; }

    /// <summary>Stereo sample pairs in the file.</summary>
    public long Frames { get; private set; }

    public double DurationSeconds => (double)Frames / SampleRate;

    public static WavReader Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new WavFormatException($"{path}: no such file");
        }

        return Open(File.OpenRead(path), path);
    }

    public static WavReader Open(Stream stream, string name)
    {
        var reader = new WavReader(stream, name);
        try
        {
            reader.ReadHeader();
            return reader;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fills <paramref name="interleaved"/> with up to its length of samples (left, right, left, ...);
    /// returns how many samples were read (0 at the end). Fails if the data ends early.
    /// </summary>
    public int Read(short[] interleaved)
    {
        int wantBytes = (int)Math.Min(interleaved.Length * 2L, _remainingBytes);
        wantBytes -= wantBytes % 4;
        if (wantBytes == 0)
        {
            return 0;
        }

        var bytes = new byte[wantBytes];
        int got = ReadFully(bytes);
        if (got < wantBytes)
        {
            throw new WavFormatException($"{_name}: truncated: the header promises {Frames} sample frames but the audio data ends early");
        }

        for (int i = 0; i < got / 2; i++)
        {
            interleaved[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(2 * i));
        }

        _remainingBytes -= got;
        return got / 2;
    }

    public void Dispose() => _stream.Dispose();

    private void ReadHeader()
    {
        var riff = ReadExactly(12, "RIFF header");
        if (Ascii(riff, 0) != "RIFF" || Ascii(riff, 8) != "WAVE")
        {
            throw Fail("not a RIFF/WAVE file");
        }

        bool haveFormat = false;
        while (true)
        {
            var chunk = ReadExactly(8, haveFormat ? "data chunk" : "fmt chunk");
            string id = Ascii(chunk, 0);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk.AsSpan(4));
            if (id == "fmt ")
            {
                ReadFormat(ReadExactly((int)Math.Min(size, 64), "fmt chunk"), size);
                Skip(size - Math.Min(size, 64) + (size & 1));
                haveFormat = true;
            }
            else if (id == "data")
            {
                if (!haveFormat)
                {
                    throw Fail("the data chunk comes before the fmt chunk");
                }

                long available = _stream.CanSeek ? _stream.Length - _stream.Position : size;
                if (size == 0xFFFFFFFF || size > available)
                {
                    throw Fail($"truncated: the data chunk says {size} bytes but only {available} follow");
                }

                _remainingBytes = size - size % 4;
                Frames = _remainingBytes / 4;
                return;
            }
            else
            {
                Skip(size + (size & 1));
            }
        }
    }

    private void ReadFormat(byte[] fmt, long size)
    {
        if (size < 16)
        {
            throw Fail("the fmt chunk is too short");
        }

        int tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(2));
        int rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(fmt.AsSpan(4));
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(14));
        const int Pcm = 1;
        const int Extensible = 0xFFFE;
        if (tag == Extensible && fmt.Length >= 26)
        {
            tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt.AsSpan(24));
        }

        if (tag != Pcm)
        {
            throw Fail($"not PCM audio (format tag {tag}); convert it to 16-bit PCM, e.g. sox in.wav -b 16 -e signed out.wav");
        }

        if (bits != 16)
        {
            throw Fail($"{bits}-bit samples; Kuulo reads 16-bit PCM");
        }

        if (channels != 2)
        {
            throw Fail($"{channels} channel(s); Kuulo needs 2 (left = agent, right = customer)");
        }

        if (rate != 8000 && rate != 16000)
        {
            throw Fail($"sample rate {rate} Hz; Kuulo reads 8000 or 16000 Hz");
        }

        SampleRate = rate;
    }

    private byte[] ReadExactly(int count, string what)
    {
        var buffer = new byte[count];
        if (ReadFully(buffer) < count)
        {
            throw Fail($"truncated: the file ends inside the {what}");
        }

        return buffer;
    }

    private int ReadFully(byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = _stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    private void Skip(long count)
    {
        if (count <= 0)
        {
            return;
        }

        if (_stream.CanSeek)
        {
            if (_stream.Position + count > _stream.Length)
            {
                throw Fail("truncated: a chunk runs past the end of the file");
            }

            _stream.Seek(count, SeekOrigin.Current);
            return;
        }

        var scratch = new byte[Math.Min(count, 65536)];
        while (count > 0)
        {
            int n = _stream.Read(scratch, 0, (int)Math.Min(count, scratch.Length));
            if (n == 0)
            {
                throw Fail("truncated: a chunk runs past the end of the file");
            }

            count -= n;
        }
    }

    private static string Ascii(byte[] bytes, int offset) => System.Text.Encoding.ASCII.GetString(bytes, offset, 4);

    private WavFormatException Fail(string problem) => new($"{_name}: {problem}");
}
