using System.Buffers.Binary;

namespace Pipeline.Images.Png;

/// <summary>The IHDR chunk of a PNG: what the streaming decoder needs to know before the first row.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
{
    public const int Grey = 0;
    public const int Rgb = 2;
    public const int Palette = 3;
    public const int GreyAlpha = 4;
    public const int Rgba = 6;

    public int Channels => ColorType switch
    {
        Grey or Palette => 1,
        GreyAlpha => 2,
        Rgb => 3,
        _ => 4,
    };

    public int BitsPerPixel => Channels * BitDepth;

    /// <summary>Distance in bytes to the corresponding byte of the previous pixel, as the PNG filters define it.</summary>
    public int FilterStride => Math.Max(1, BitsPerPixel / 8);

    public int RowBytes(int pixels) => (int)(((long)pixels * BitsPerPixel + 7) / 8);

    /// <summary>Reads IHDR from its 13 data bytes; null when the combination of fields is not valid PNG.</summary>
    public static PngHeader? Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 13)
        {
            return null;
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int depth = data[8];
        int type = data[9];
        bool validDepth = type switch
        {
            Grey => depth is 1 or 2 or 4 or 8 or 16,
            Palette => depth is 1 or 2 or 4 or 8,
            Rgb or GreyAlpha or Rgba => depth is 8 or 16,
            _ => false,
        };
        if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue || !validDepth
            || data[10] != 0 || data[11] != 0 || data[12] > 1)
        {
            return null;
        }

        return new PngHeader((int)width, (int)height, depth, type, data[12] == 1);
    }
}
