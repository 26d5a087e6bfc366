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

    [Fact]
    public void A_sideways_scan_is_decoded_again_and_turned_upright()
    {
        // A wide page with a wide block of stripes, stored a quarter turn anticlockwise with the EXIF tag that turns it
        // back (6, RightTop), fitted to a wide input: the content's size is judged on the upright page. The block is
        // small enough for the second decode to be at full size, where JPEG and PNG agree to the rounding (a decode at
        // 7/8 resamples the 3 px stripes and is compared with nothing here).
        using var upright = Page(2400, 1600, canvas => DrawStripes(canvas, SKRect.Create(1300, 500, 300, 110)));
        using var stored = new SKBitmap(new SKImageInfo(upright.Height, upright.Width, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(stored))
        {
            canvas.Translate(0, upright.Width);
            canvas.RotateDegrees(-90);
            canvas.DrawBitmap(upright, 0, 0);
        }

        var wide = ImageLoadOptions.Default with { TargetWidth = 224, TargetHeight = 112, ResizeMode = ResizeMode.TrimBorderAndPad };
        var reference = ImageAssert.Loaded(ImageLoader.Load(TestImages.Encode(upright, SKEncodedImageFormat.Png), wide)).Image;
        var loaded = ImageAssert.Loaded(ImageLoader.Load(TestImages.JpegWithOrientation(stored, 6), wide)).Image;

        var sideways = ImageAssert.Loaded(ImageLoader.Load(TestImages.Encode(stored, SKEncodedImageFormat.Png), wide)).Image;

        Assert.True(MeanDifference(loaded, reference) < 2, $"mean |Δ| against the upright full decode {MeanDifference(loaded, reference):0.0}");
        // Left sideways the stripes fall elsewhere: far from the upright page, so the check above can fail.
        Assert.True(MeanDifference(sideways, reference) > 30, $"mean |Δ| of the page left sideways {MeanDifference(sideways, reference):0.0}");
    }

    private static RgbImage LoadTrimmed(byte[] encoded, ImageLimits limits) =>
        ImageAssert.Loaded(ImageLoader.Load(encoded,
            ImageLoadOptions.Square(224) with { ResizeMode = ResizeMode.TrimBorderAndPad, Limits = limits })).Image;

    /// <summary>A 300 px square of 3 px black and white stripes, off-centre on a white 2400 px page.</summary>
    private static SKBitmap StripesOnPage() =>
        Page(canvas => DrawStripes(canvas, SKRect.Create(1500, 700, StripeSide, StripeSide)));

    private static SKBitmap Page(Action<SKCanvas> draw) => Page(PageSide, PageSide, draw);

    private static SKBitmap Page(int width, int height, Action<SKCanvas> draw)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
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
