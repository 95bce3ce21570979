using System.Buffers.Binary;
using Kuulo.Desk.Audio;

namespace Kuulo.Desk.Tests;

public sealed class WavReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuulo-wav-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, int tag = 1, int channels = 2, int rate = 8000, int bits = 16, int dataBytes = 3200, int? declaredData = null)
    {
        var bytes = new byte[44 + dataBytes];
        var s = bytes.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], 36 + dataBytes);
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(s[20..], (short)tag);
        BinaryPrimitives.WriteInt16LittleEndian(s[22..], (short)channels);
        BinaryPrimitives.WriteInt32LittleEndian(s[24..], rate);
        BinaryPrimitives.WriteInt32LittleEndian(s[28..], rate * channels * bits / 8);
        BinaryPrimitives.WriteInt16LittleEndian(s[32..], (short)(channels * bits / 8));
        BinaryPrimitives.WriteInt16LittleEndian(s[34..], (short)bits);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[40..], declaredData ?? dataBytes);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void ReadsStereoPcm()
    {
        using var wav = WavReader.Open(Write("ok.wav", rate: 16000));
        Assert.Equal(16000, wav.SampleRate);
        Assert.Equal(800, wav.Frames);
        var buffer = new short[640];
        Assert.Equal(640, wav.Read(buffer));
        Assert.Equal(640, wav.Read(buffer));
        Assert.Equal(320, wav.Read(buffer));
        Assert.Equal(0, wav.Read(buffer));
    }

    [Theory]
    [InlineData(3, 2, 8000, 16, "not PCM audio (format tag 3)")]
    [InlineData(1, 1, 8000, 16, "1 channel(s); Kuulo needs 2")]
    [InlineData(1, 2, 44100, 16, "sample rate 44100 Hz")]
    [InlineData(1, 2, 8000, 8, "8-bit samples")]
    public void RefusesWhatTheDeskCannotUse(int tag, int channels, int rate, int bits, string problem)
    {
        var path = Write("bad.wav", tag, channels, rate, bits);
        var ex = Assert.Throws<WavFormatException>(() => WavReader.Open(path));
        Assert.Contains(problem, ex.Message);
        Assert.StartsWith(path, ex.Message);
    }

    [Fact]
    public void TruncatedDataIsReported()
    {
        var path = Write("short.wav", dataBytes: 1000, declaredData: 5000);
        Assert.Contains("truncated", Assert.Throws<WavFormatException>(() => WavReader.Open(path)).Message);
    }

    [Fact]
    public void GarbageAndMissingFilesAreReported()
    {
        var junk = Path.Combine(_dir, "junk.wav");
        File.WriteAllText(junk, "this is not audio at all, just text");
        Assert.Contains("not a RIFF/WAVE file", Assert.Throws<WavFormatException>(() => WavReader.Open(junk)).Message);
        var tiny = Path.Combine(_dir, "tiny.wav");
        File.WriteAllBytes(tiny, "RIFF"u8.ToArray());
        Assert.Contains("truncated", Assert.Throws<WavFormatException>(() => WavReader.Open(tiny)).Message);
        Assert.Contains("no such file", Assert.Throws<WavFormatException>(() => WavReader.Open(Path.Combine(_dir, "nope.wav"))).Message);
    }
}
