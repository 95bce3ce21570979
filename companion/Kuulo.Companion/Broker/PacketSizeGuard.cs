namespace Kuulo.Companion.Broker;

/// <summary>
/// Reads MQTT fixed headers as the bytes go by and fails the connection as soon as a packet declares more than
/// the maximum. MQTTnet allocates a packet's whole body from its declared length before reading it, so a
/// CONNECT claiming 200 MB would otherwise cost 200 MB; this stops it at the length bytes, before MQTTnet sees them.
/// </summary>
internal sealed class PacketSizeGuard(Stream inner, int maxPacketBytes, Action<string> refused) : Stream
{
    private enum Part { Type, Length, Body }

    private Part _part = Part.Type;
    private int _length;
    private int _multiplier;
    private int _lengthBytes;
    private int _bodyLeft;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken);
        Inspect(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, read));
        return read;
    }

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            switch (_part)
            {
                case Part.Type:
                    i++;
                    (_part, _length, _multiplier, _lengthBytes) = (Part.Length, 0, 1, 0);
                    break;
                case Part.Length:
                    // Remaining length: up to four bytes of 7 bits, least significant first. Every partial sum is
                    // a lower bound, so the packet is refused at the first byte that pushes it over.
                    byte b = bytes[i++];
                    _length += (b & 0x7F) * _multiplier;
                    _multiplier *= 128;
                    _lengthBytes++;
                    if (_length > maxPacketBytes)
                    {
                        throw Refuse($"a packet declares at least {_length} bytes, more than the {maxPacketBytes} allowed");
                    }

                    if ((b & 0x80) == 0)
                    {
                        _bodyLeft = _length;
                        _part = _bodyLeft == 0 ? Part.Type : Part.Body;
                    }
                    else if (_lengthBytes == 4)
                    {
                        throw Refuse("malformed remaining length");
                    }

                    break;
                default:
                    int take = Math.Min(_bodyLeft, bytes.Length - i);
                    i += take;
                    _bodyLeft -= take;
                    if (_bodyLeft == 0)
                    {
                        _part = Part.Type;
                    }

                    break;
            }
        }
    }

    private IOException Refuse(string reason)
    {
        // MQTTnet swallows the exception when it closes the connection, so say why here.
        refused(reason);
        return new IOException(reason);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
