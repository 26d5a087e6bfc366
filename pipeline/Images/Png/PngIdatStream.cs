using System.Buffers.Binary;
using SkiaSharp;

namespace Pipeline.Images.Png;

/// <summary>
/// The concatenated payloads of a PNG's consecutive IDAT chunks, read straight from the encoded bytes, as the
/// zlib stream that <see cref="System.IO.Compression.ZLibStream"/> inflates. Ends at the first other chunk, or early
/// (setting <see cref="Truncated"/>) when the file stops inside the image data.
/// </summary>
internal sealed class PngIdatStream : Stream
{
    private readonly SKData _data;
    private long _next;
    private long _chunkPosition;
    private long _chunkRemaining;
    private bool _ended;

    /// <param name="data">The whole encoded file; it must outlive this stream.</param>
    /// <param name="firstIdat">Offset of the first IDAT chunk's length field.</param>
    public PngIdatStream(SKData data, long firstIdat)
    {
        _data = data;
        _next = firstIdat;
    }

    public bool Truncated { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ReadOnlySpan<byte> file = _data.AsSpan();
        while (_chunkRemaining == 0)
        {
            if (_ended || !EnterNextChunk(file))
            {
                return 0;
            }
        }

        int count = (int)Math.Min(buffer.Length, _chunkRemaining);
        file.Slice((int)_chunkPosition, count).CopyTo(buffer);
        _chunkPosition += count;
        _chunkRemaining -= count;
        return count;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool EnterNextChunk(ReadOnlySpan<byte> file)
    {
        if (_next + 8 > file.Length)
        {
            Truncated = true;
            _ended = true;
            return false;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(file[(int)_next..]);
        if (!file.Slice((int)_next + 4, 4).SequenceEqual("IDAT"u8))
        {
            _ended = true;
            return false;
        }

        _chunkPosition = _next + 8;
        _chunkRemaining = length;
        _next = _chunkPosition + length + 4; // skip the CRC
        if (_chunkPosition + length > file.Length)
        {
            _chunkRemaining = file.Length - _chunkPosition;
            Truncated = true;
        }

        return true;
    }
}
