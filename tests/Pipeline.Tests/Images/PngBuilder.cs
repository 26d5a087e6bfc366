using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace Pipeline.Tests.Images;

/// <summary>PNG layouts the tests write by hand, beyond what Skia's encoder produces. Public only because xunit theories take it.</summary>
public enum PngKind
{
    Rgba8,
    Rgb8,
    RgbWithTransparentBlack8,
    Grey8,
    GreyAlpha8,
    Grey1,
    Rgba16,
    Palette8,
    Palette4,
}

/// <summary>
/// Writes PNGs of any <see cref="PngKind"/>, optionally Adam7-interlaced, cycling through all five row filters and
/// splitting the data over many IDAT chunks, so every path of a decoder is exercised. Rows are generated and
/// compressed one at a time, which lets a test build a gigantic PNG without holding its pixels.
/// </summary>
/// <remarks>For palette kinds the colour function's red channel is the palette index; see <see cref="PaletteColour"/>.</remarks>
internal static class PngBuilder
{
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
    [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ];

    public static SKColor PaletteColour(int index) =>
        new((byte)index, (byte)(255 - index), (byte)(index * 7), index < 32 ? (byte)(index * 8) : (byte)255);

    public static byte[] Build(int width, int height, PngKind kind, Func<int, int, SKColor> colour, bool interlaced = false,
        int idatChunkSize = 8192, CompressionLevel level = CompressionLevel.Fastest)
    {
        var (colourType, depth, channels) = Layout(kind);
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            var passes = interlaced ? Adam7 : [(0, 0, 1, 1)];
            foreach (var (x0, y0, dx, dy) in passes)
            {
                int passWidth = (width - x0 + dx - 1) / dx;
                int passHeight = (height - y0 + dy - 1) / dy;
                if (passWidth <= 0 || passHeight <= 0)
                {
                    continue;
                }

                int rowBytes = (passWidth * channels * depth + 7) / 8;
                int stride = Math.Max(1, channels * depth / 8);
                var previous = new byte[rowBytes];
                var raw = new byte[rowBytes];
                var filtered = new byte[rowBytes + 1];
                for (int row = 0; row < passHeight; row++)
                {
                    Array.Clear(raw);
                    for (int i = 0; i < passWidth; i++)
                    {
                        WriteSamples(kind, colour(x0 + i * dx, y0 + row * dy), raw, i);
                    }

                    int filter = row % 5;
                    Filter(filter, raw, previous, stride, filtered);
                    zlib.Write(filtered);
                    (previous, raw) = (raw, previous);
                }
            }
        }

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = (byte)depth;
        header[9] = (byte)colourType;
        header[12] = interlaced ? (byte)1 : (byte)0;
        WriteChunk(png, "IHDR", header);
        if (colourType == 3)
        {
            int entries = 1 << depth; // a palette may not be longer than the indices can address
            var plte = new byte[entries * 3];
            var trns = new byte[entries];
            for (int i = 0; i < entries; i++)
            {
                var c = PaletteColour(i);
                (plte[i * 3], plte[i * 3 + 1], plte[i * 3 + 2], trns[i]) = (c.Red, c.Green, c.Blue, c.Alpha);
            }

            WriteChunk(png, "PLTE", plte);
            WriteChunk(png, "tRNS", trns);
        }
        else if (kind == PngKind.RgbWithTransparentBlack8)
        {
            WriteChunk(png, "tRNS", new byte[6]);
        }

        var data = compressed.ToArray();
        for (int i = 0; i < data.Length; i += idatChunkSize)
        {
            WriteChunk(png, "IDAT", data.AsSpan(i, Math.Min(idatChunkSize, data.Length - i)));
        }

        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    private static (int ColourType, int Depth, int Channels) Layout(PngKind kind) => kind switch
    {
        PngKind.Rgba8 => (6, 8, 4),
        PngKind.Rgb8 or PngKind.RgbWithTransparentBlack8 => (2, 8, 3),
        PngKind.Grey8 => (0, 8, 1),
        PngKind.GreyAlpha8 => (4, 8, 2),
        PngKind.Grey1 => (0, 1, 1),
        PngKind.Rgba16 => (6, 16, 4),
        PngKind.Palette8 => (3, 8, 1),
        _ => (3, 4, 1),
    };

    private static void WriteSamples(PngKind kind, SKColor c, byte[] row, int i)
    {
        switch (kind)
        {
            case PngKind.Rgba8:
                (row[i * 4], row[i * 4 + 1], row[i * 4 + 2], row[i * 4 + 3]) = (c.Red, c.Green, c.Blue, c.Alpha);
                break;
            case PngKind.Rgb8 or PngKind.RgbWithTransparentBlack8:
                (row[i * 3], row[i * 3 + 1], row[i * 3 + 2]) = (c.Red, c.Green, c.Blue);
                break;
            case PngKind.Grey8:
                row[i] = c.Red;
                break;
            case PngKind.GreyAlpha8:
                (row[i * 2], row[i * 2 + 1]) = (c.Red, c.Alpha);
                break;
            case PngKind.Grey1:
                if (c.Red >= 128)
                {
                    row[i >> 3] |= (byte)(0x80 >> (i & 7));
                }

                break;
            case PngKind.Rgba16:
                byte[] channels = [c.Red, c.Green, c.Blue, c.Alpha];
                for (int k = 0; k < 4; k++)
                {
                    row[i * 8 + k * 2] = channels[k];
                    row[i * 8 + k * 2 + 1] = (byte)(channels[k] ^ 0x5A); // low byte: noise an 8-bit decoder drops
                }

                break;
            case PngKind.Palette8:
                row[i] = c.Red;
                break;
            case PngKind.Palette4:
                row[i >> 1] |= (byte)((c.Red & 15) << ((i & 1) == 0 ? 4 : 0));
                break;
        }
    }

    private static void Filter(int filter, byte[] raw, byte[] previous, int stride, byte[] output)
    {
        output[0] = (byte)filter;
        for (int i = 0; i < raw.Length; i++)
        {
            int left = i >= stride ? raw[i - stride] : 0;
            int above = previous[i];
            int upperLeft = i >= stride ? previous[i - stride] : 0;
            int predictor = filter switch
            {
                0 => 0,
                1 => left,
                2 => above,
                3 => (left + above) >> 1,
                _ => Paeth(left, above, upperLeft),
            };
            output[i + 1] = (byte)(raw[i] - predictor);
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        png.Write(crcBytes);
    }
}
