using System.Buffers.Binary;
using SkiaSharp;

namespace Pipeline.Tests.Images;

/// <summary>Encoded images made by the tests: PNG, JPEG and WEBP through Skia's encoders, BMP and GIF by hand.</summary>
internal static class TestImages
{
    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bitmap.Encode(format, quality)
            ?? throw new InvalidOperationException($"Skia could not encode {format}.");
        return data.ToArray();
    }

    /// <summary>A straight-alpha bitmap whose pixels come from <paramref name="colour"/>.</summary>
    public static SKBitmap Bitmap(int width, int height, Func<int, int, SKColor> colour)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, colour(x, y));
            }
        }

        return bitmap;
    }

    public static byte[] Solid(int width, int height, SKColor colour, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888,
            colour.Alpha == 255 ? SKAlphaType.Opaque : SKAlphaType.Unpremul));
        bitmap.Erase(colour);
        return Encode(bitmap, format);
    }

    /// <summary>Solid image in any supported format, hand-writing the two Skia cannot encode.</summary>
    public static byte[] Solid(int width, int height, SKColor colour, string format) => format switch
    {
        "png" => Solid(width, height, colour, SKEncodedImageFormat.Png),
        "jpeg" => Solid(width, height, colour, SKEncodedImageFormat.Jpeg),
        "webp" => Solid(width, height, colour, SKEncodedImageFormat.Webp),
        "bmp" => Bmp(width, height, (_, _) => colour),
        "gif" => Gif(width, height, [colour], (_, _) => 0),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>An uncompressed 24-bit bottom-up BMP (the common layout).</summary>
    public static byte[] Bmp(int width, int height, Func<int, int, SKColor> colour)
    {
        int stride = (width * 3 + 3) & ~3;
        var bytes = new byte[54 + stride * height];
        var span = bytes.AsSpan();
        "BM"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[2..], bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[10..], 54);
        BinaryPrimitives.WriteInt32LittleEndian(span[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(span[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(span[22..], height);
        BinaryPrimitives.WriteInt16LittleEndian(span[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[28..], 24);
        BinaryPrimitives.WriteInt32LittleEndian(span[34..], stride * height);
        for (int y = 0; y < height; y++)
        {
            int row = 54 + (height - 1 - y) * stride;
            for (int x = 0; x < width; x++)
            {
                var c = colour(x, y);
                bytes[row + x * 3] = c.Blue;
                bytes[row + x * 3 + 1] = c.Green;
                bytes[row + x * 3 + 2] = c.Red;
            }
        }

        return bytes;
    }

    /// <summary>
    /// A GIF89a with a 256-entry global palette. The LZW stream uses 9-bit codes and a clear code every 254 codes, so
    /// the code size never grows: valid, uncompressed-ish, and short to write.
    /// </summary>
    public static byte[] Gif(int width, int height, IReadOnlyList<SKColor> palette, Func<int, int, int> index, int? transparentIndex = null)
    {
        var output = new MemoryStream();
        var writer = new BinaryWriter(output);
        writer.Write("GIF89a"u8);
        writer.Write((ushort)width);
        writer.Write((ushort)height);
        writer.Write((byte)0xF7); // global colour table of 2^(7+1) entries
        writer.Write((byte)0);
        writer.Write((byte)0);
        for (int i = 0; i < 256; i++)
        {
            var c = i < palette.Count ? palette[i] : SKColors.Black;
            writer.Write(c.Red);
            writer.Write(c.Green);
            writer.Write(c.Blue);
        }

        if (transparentIndex is { } transparent)
        {
            writer.Write([0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, (byte)transparent, 0x00]);
        }

        writer.Write((byte)0x2C);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write((ushort)width);
        writer.Write((ushort)height);
        writer.Write((byte)0);
        writer.Write((byte)8); // LZW minimum code size

        var bits = new BitPacker();
        int sinceClear = 0;
        bits.Write(256, 9);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                bits.Write(index(x, y), 9);
                if (++sinceClear == 254)
                {
                    bits.Write(256, 9);
                    sinceClear = 0;
                }
            }
        }

        bits.Write(257, 9);
        var packed = bits.ToArray();
        for (int i = 0; i < packed.Length; i += 255)
        {
            int length = Math.Min(255, packed.Length - i);
            writer.Write((byte)length);
            writer.Write(packed, i, length);
        }

        writer.Write((byte)0);
        writer.Write((byte)0x3B);
        return output.ToArray();
    }

    /// <summary>A JPEG carrying an EXIF orientation tag (an APP1 segment inserted after SOI).</summary>
    public static byte[] JpegWithOrientation(SKBitmap bitmap, ushort orientation)
    {
        var jpeg = Encode(bitmap, SKEncodedImageFormat.Jpeg);
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD at 8
            0, 1, // one entry
            0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0, // orientation, SHORT, 1
            0, 0, 0, 0, // no next IFD
        ];
        var app1 = new List<byte> { 0xFF, 0xE1 };
        int length = 2 + 6 + tiff.Length;
        app1.Add((byte)(length >> 8));
        app1.Add((byte)length);
        app1.AddRange("Exif\0\0"u8.ToArray());
        app1.AddRange(tiff);
        return [.. jpeg[..2], .. app1, .. jpeg[2..]];
    }

    /// <summary>A copy of a PNG whose IHDR claims other dimensions (with a valid CRC, so only the size is wrong).</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var png = Solid(16, 16, SKColors.Red, SKEncodedImageFormat.Png);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32.Compute(png.AsSpan(12, 17)));
        return png;
    }

    private sealed class BitPacker
    {
        private readonly List<byte> _bytes = [];
        private int _buffer;
        private int _count;

        public void Write(int code, int width)
        {
            _buffer |= code << _count;
            _count += width;
            while (_count >= 8)
            {
                _bytes.Add((byte)_buffer);
                _buffer >>= 8;
                _count -= 8;
            }
        }

        public byte[] ToArray()
        {
            if (_count > 0)
            {
                _bytes.Add((byte)_buffer);
            }

            return [.. _bytes];
        }
    }
}
