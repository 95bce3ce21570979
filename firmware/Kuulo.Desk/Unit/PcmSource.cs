using Kuulo.Desk.Audio;
using Kuulo.Desk.Commands;

namespace Kuulo.Desk.Unit;

/// <summary>Where a unit's two-channel audio comes from: WAV conversations in turn, or raw PCM on a stream.</summary>
public abstract class PcmSource : IDisposable
{
    public abstract int SampleRate { get; }

    /// <summary>Fills a frame; false when the current conversation (or the stream) has ended.</summary>
    public abstract bool Read(short[] frame);

    /// <summary>Moves to the next conversation; false when there is none.</summary>
    public abstract bool NextConversation();

    public virtual void Dispose()
    {
    }

    /// <summary>WAV files played one after another (and again from the first with <paramref name="loop"/>).</summary>
    public static PcmSource Files(IReadOnlyList<string> paths, bool loop, int startAt = 0) => new WavFiles(paths, loop, startAt);

    /// <summary>Raw interleaved 16-bit little-endian stereo PCM, e.g. from arecord or sox on standard input.</summary>
    public static PcmSource Raw(Stream stream, int sampleRate) => new RawPcm(stream, sampleRate);

    private sealed class WavFiles : PcmSource
    {
        private readonly IReadOnlyList<string> _paths;
        private readonly bool _loop;
        private int _index;
        private WavReader _reader;

        public WavFiles(IReadOnlyList<string> paths, bool loop, int startAt)
        {
            if (paths.Count == 0)
            {
                throw new UsageException("no WAV files to play");
            }

            _paths = paths;
            _loop = loop;
            _index = startAt % paths.Count;
            _reader = WavReader.Open(paths[_index]);
        }

        public override int SampleRate => _reader.SampleRate;

        public override bool Read(short[] frame) => _reader.Read(frame) == frame.Length;

        public override bool NextConversation()
        {
            int next = _index + 1;
            if (next >= _paths.Count && !_loop)
            {
                return false;
            }

            var reader = WavReader.Open(_paths[next % _paths.Count]);
            _reader.Dispose();
            _reader = reader;
            _index = next % _paths.Count;
            return true;
        }

        public override void Dispose() => _reader.Dispose();
    }

    private sealed class RawPcm(Stream stream, int sampleRate) : PcmSource
    {
        private byte[] _buffer = Array.Empty<byte>();

        public override int SampleRate => sampleRate == 8000 || sampleRate == 16000
            ? sampleRate
            : throw new UsageException($"--rate must be 8000 or 16000 (got {sampleRate})");

        public override bool Read(short[] frame)
        {
            if (_buffer.Length != frame.Length * 2)
            {
                _buffer = new byte[frame.Length * 2];
            }

            int total = 0;
            while (total < _buffer.Length)
            {
                int n = stream.Read(_buffer, total, _buffer.Length - total);
                if (n == 0)
                {
                    return false;
                }

                total += n;
            }

            Buffer.BlockCopy(_buffer, 0, frame, 0, _buffer.Length);
            return true;
        }

        public override bool NextConversation() => false;
    }
}
