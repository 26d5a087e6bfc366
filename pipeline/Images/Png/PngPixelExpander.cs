using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.Images.Png;

/// <summary>
/// Converts raw PNG samples of any colour type and bit depth into straight-alpha RGBA8, applying the palette and
/// tRNS transparency. 16-bit samples keep their high byte, as 8-bit decoders conventionally do.
/// </summary>
internal sealed class PngPixelExpander
{
    private readonly PngHeader _header;
    private readonly uint[] _palette = new uint[256];
    private readonly int _transparentGrey = -1;
    private readonly (int R, int G, int B)? _transparentRgb;

    public PngPixelExpander(PngHeader header, ReadOnlySpan<byte> plte, ReadOnlySpan<byte> trns)
    {
        _header = header;
        if (header.ColorType == PngHeader.Palette)
        {
            // Entries the palette does not define decode as opaque black rather than failing the image.
            Array.Fill(_palette, 0xFF000000u);
            for (int i = 0; i < Math.Min(256, plte.Length / 3); i++)
            {
                byte alpha = i < trns.Length ? trns[i] : (byte)255;
                _palette[i] = plte[i * 3] | ((uint)plte[i * 3 + 1] << 8) | ((uint)plte[i * 3 + 2] << 16) | ((uint)alpha << 24);
            }
        }
        else if (header.ColorType == PngHeader.Grey && trns.Length >= 2)
        {
            _transparentGrey = BinaryPrimitives.ReadUInt16BigEndian(trns);
        }
        else if (header.ColorType == PngHeader.Rgb && trns.Length >= 6)
        {
            _transparentRgb = (BinaryPrimitives.ReadUInt16BigEndian(trns), BinaryPrimitives.ReadUInt16BigEndian(trns[2..]),
                BinaryPrimitives.ReadUInt16BigEndian(trns[4..]));
        }
    }

    /// <summary>True when raw rows already are RGBA8 and can skip <see cref="Expand"/>.</summary>
    public bool IsIdentity => _header is { ColorType: PngHeader.Rgba, BitDepth: 8 };

    public void Expand(ReadOnlySpan<byte> raw, Span<byte> rgba, int pixels)
    {
        int depth = _header.BitDepth;
        switch (_header.ColorType)
        {
            case PngHeader.Rgba when depth == 8:
                raw[..(pixels * 4)].CopyTo(rgba);
                break;
            case PngHeader.Rgba:
                for (int p = 0; p < pixels; p++)
                {
                    for (int c = 0; c < 4; c++)
                    {
                        rgba[p * 4 + c] = raw[p * 8 + c * 2];
                    }
                }

                break;
            case PngHeader.Rgb:
                ExpandRgb(raw, rgba, pixels, depth == 16 ? 2 : 1);
                break;
            case PngHeader.GreyAlpha:
                int size = depth / 8;
                for (int p = 0; p < pixels; p++)
                {
                    byte grey = raw[p * 2 * size];
                    rgba[p * 4] = grey;
                    rgba[p * 4 + 1] = grey;
                    rgba[p * 4 + 2] = grey;
                    rgba[p * 4 + 3] = raw[p * 2 * size + size];
                }

                break;
            case PngHeader.Grey:
                ExpandGrey(raw, rgba, pixels, depth);
                break;
            default:
                ExpandPalette(raw, rgba, pixels, depth);
                break;
        }
    }

    private void ExpandRgb(ReadOnlySpan<byte> raw, Span<byte> rgba, int pixels, int size)
    {
        for (int p = 0; p < pixels; p++)
        {
            int i = p * 3 * size;
            byte alpha = 255;
            if (_transparentRgb is { } key)
            {
                (int r, int g, int b) = size == 2
                    ? (BinaryPrimitives.ReadUInt16BigEndian(raw[i..]), BinaryPrimitives.ReadUInt16BigEndian(raw[(i + 2)..]),
                        BinaryPrimitives.ReadUInt16BigEndian(raw[(i + 4)..]))
                    : (raw[i], raw[i + 1], raw[i + 2]);
                alpha = (r, g, b) == key ? (byte)0 : (byte)255;
            }

            rgba[p * 4] = raw[i];
            rgba[p * 4 + 1] = raw[i + size];
            rgba[p * 4 + 2] = raw[i + 2 * size];
            rgba[p * 4 + 3] = alpha;
        }
    }

    private void ExpandGrey(ReadOnlySpan<byte> raw, Span<byte> rgba, int pixels, int depth)
    {
        int scale = depth switch { 1 => 255, 2 => 85, 4 => 17, _ => 1 };
        for (int p = 0; p < pixels; p++)
        {
            int sample = depth == 16 ? BinaryPrimitives.ReadUInt16BigEndian(raw[(p * 2)..]) : Sample(raw, p, depth);
            byte grey = depth == 16 ? (byte)(sample >> 8) : (byte)(sample * scale);
            rgba[p * 4] = grey;
            rgba[p * 4 + 1] = grey;
            rgba[p * 4 + 2] = grey;
            rgba[p * 4 + 3] = sample == _transparentGrey ? (byte)0 : (byte)255;
        }
    }

    private void ExpandPalette(ReadOnlySpan<byte> raw, Span<byte> rgba, int pixels, int depth)
    {
        Span<uint> packed = MemoryMarshal.Cast<byte, uint>(rgba);
        if (depth == 8)
        {
            for (int p = 0; p < pixels; p++)
            {
                packed[p] = _palette[raw[p]];
            }

            return;
        }

        for (int p = 0; p < pixels; p++)
        {
            packed[p] = _palette[Sample(raw, p, depth)];
        }
    }

    /// <summary>The p-th sub-byte sample of a row, most significant bits first.</summary>
    private static int Sample(ReadOnlySpan<byte> raw, int p, int depth)
    {
        if (depth == 8)
        {
            return raw[p];
        }

        int bit = p * depth;
        int shift = 8 - depth - (bit & 7);
        return (raw[bit >> 3] >> shift) & ((1 << depth) - 1);
    }
}
