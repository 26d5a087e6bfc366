using Pipeline.Images;
using SkiaSharp;
using Xunit;
using static Pipeline.Tests.Images.MarginDrawing;

namespace Pipeline.Tests.Images;

/// <summary>
/// A JPEG or WEBP is decoded at a scale chosen for its whole frame; with the margin trimmed, a drawing that fills a small
/// part of a large page is decoded again at the scale its content needs (<see cref="ContentDecodeSize"/>), so it is
/// not enlarged from a few dozen pixels.
/// </summary>
[Trait("Kind", "Unit")]
public class ImageLoaderContentDecodeTests
{
    private const int PageSide = 2400;
    private const int StripeSide = 300;

    [Theory]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void A_small_drawing_on_a_large_page_keeps_the_detail_a_full_decode_gives(SKEncodedImageFormat format)
    {
        using var page = StripesOnPage();
        var reference = LoadTrimmed(TestImages.Encode(page, SKEncodedImageFormat.Png), ImageLimits.Default);
        var encoded = TestImages.Encode(page, format);

        var decodedForContent = LoadTrimmed(encoded, ImageLimits.Default);
        // A budget with no room for a finer decode than the first (WEBP's 448 px square, which the page asks for; JPEG
        // falls to an eighth): the drawing as a scale chosen for the page has it.
        var atPageScale = LoadTrimmed(encoded, ImageLimits.Default with { MaxDecodePixels = 201_000 });

        Assert.True(MeanDifference(decodedForContent, reference) < 2,
            $"mean |Δ| against the full decode {MeanDifference(decodedForContent, reference):0.0}");
        // At the page's scale the 3 px stripes blur to grey: far from the full decode, so the check above can fail.
        Assert.True(MeanDifference(atPageScale, reference) > 30,
            $"mean |Δ| at the page's scale {MeanDifference(atPageScale, reference):0.0}");
    }

    [Fact]
    public void A_page_without_a_margin_is_fitted_from_one_decode_at_the_page_scale()
    {
        // Stripes over the whole page: nothing to trim, so the content is the page and the first scale suits it.
        using var page = Page(canvas => DrawStripes(canvas, new SKRect(0, 0, PageSide, PageSide)));
        var encoded = TestImages.Encode(page, SKEncodedImageFormat.Jpeg);

        var unbounded = LoadTrimmed(encoded, ImageLimits.Default);
        var atPageScale = LoadTrimmed(encoded, ImageLimits.Default with { MaxDecodePixels = 400_000 });

        Assert.Equal(atPageScale.Pixels, unbounded.Pixels);
    }

    private static RgbImage LoadTrimmed(byte[] encoded, ImageLimits limits) =>
        ImageAssert.Loaded(ImageLoader.Load(encoded,
            ImageLoadOptions.Square(224) with { ResizeMode = ResizeMode.TrimBorderAndPad, Limits = limits })).Image;

    /// <summary>A 300 px square of 3 px black and white stripes, off-centre on a white 2400 px page.</summary>
    private static SKBitmap StripesOnPage() =>
        Page(canvas => DrawStripes(canvas, SKRect.Create(1500, 700, StripeSide, StripeSide)));

    private static SKBitmap Page(Action<SKCanvas> draw)
    {
        var bitmap = new SKBitmap(new SKImageInfo(PageSide, PageSide, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        draw(canvas);
        return bitmap;
    }

    private static void DrawStripes(SKCanvas canvas, SKRect area)
    {
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = false };
        canvas.DrawRect(area.Left, area.Top, area.Width, 6, black);
        for (var x = area.Left; x < area.Right; x += 6)
        {
            canvas.DrawRect(x, area.Top, 3, area.Height, black);
        }
    }
}
