using Pipeline.Images;
using SkiaSharp;

namespace Pipeline.Tests.Images;

/// <summary>
/// The drawing the trimming tests place in margins (<see cref="ImageLoaderTrimTests"/>, <see cref="ImageLoaderMarginColorTests"/>):
/// a 50 x 50 square that reaches its own edges, a black frame and a red block inside, white between; and what they
/// compare loaded images with.
/// </summary>
internal static class MarginDrawing
{
    public const int DrawingSide = 50;

    /// <summary>The border trimming keeps around the drawing: ContentBounds.BorderFraction of its side.</summary>
    public static readonly int Border = (int)Math.Round(ContentBounds.BorderFraction * DrawingSide);

    public static SKColor At(int x, int y) =>
        x < 3 || y < 3 || x >= DrawingSide - 3 || y >= DrawingSide - 3 ? SKColors.Black
        : x is >= 15 and < 35 && y is >= 10 and < 40 ? SKColors.Red
        : SKColors.White;

    /// <summary>A PNG: the drawing at (<paramref name="left"/>, <paramref name="top"/>) on <paramref name="canvas"/>.</summary>
    public static byte[] Placed(int width, int height, int left, int top, Func<int, int, SKColor> canvas) =>
        TestImages.Encode(TestImages.Bitmap(width, height, (x, y) =>
            x >= left && x < left + DrawingSide && y >= top && y < top + DrawingSide ? At(x - left, y - top) : canvas(x, y)),
            SKEncodedImageFormat.Png);

    public static byte[] Placed(int width, int height, int left, int top, SKColor canvas) =>
        Placed(width, height, left, top, (_, _) => canvas);

    /// <summary>Loaded as a 64 x 64 input with <paramref name="mode"/>.</summary>
    public static RgbImage Load(byte[] png, ResizeMode mode) =>
        ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(64) with { ResizeMode = mode })).Image;

    /// <summary>Mean absolute difference per channel, 0-255.</summary>
    public static double MeanDifference(RgbImage a, RgbImage b)
    {
        long sum = 0;
        for (var y = 0; y < a.Height; y++)
        for (var x = 0; x < a.Width; x++)
        {
            RgbColor p = a[x, y], q = b[x, y];
            sum += Math.Abs(p.R - q.R) + Math.Abs(p.G - q.G) + Math.Abs(p.B - q.B);
        }

        return sum / (3.0 * a.Width * a.Height);
    }
}
