using System.Runtime.InteropServices;
using SkiaSharp;

namespace Pipeline.Images;

/// <summary>
/// Turns a frame as stored into the frame as shown, per the EXIF orientation tag Skia reads. Phone photos are
/// commonly stored sideways with a tag, and a classifier must see them the way their labeller did.
/// </summary>
internal static class ExifOrientation
{
    /// <summary>The upright frame: <paramref name="stored"/> itself, or a new frame (and <paramref name="stored"/> disposed).</summary>
    public static RgbaFrame Apply(RgbaFrame stored, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft || !Enum.IsDefined(origin))
        {
            return stored;
        }

        int w = stored.Width, h = stored.Height;
        bool transposed = origin >= SKEncodedOrigin.LeftTop;
        var shown = new RgbaFrame(transposed ? h : w, transposed ? w : h);
        ReadOnlySpan<uint> from = MemoryMarshal.Cast<byte, uint>(stored.Pixels);
        Span<uint> to = MemoryMarshal.Cast<byte, uint>(shown.Pixels);
        for (int y = 0; y < shown.Height; y++)
        {
            for (int x = 0; x < shown.Width; x++)
            {
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x), // LeftBottom
                };
                to[y * shown.Width + x] = from[sy * w + sx];
            }
        }

        stored.Dispose();
        return shown;
    }
}
