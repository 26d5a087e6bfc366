using Pipeline.Images;
using SkiaSharp;
using Xunit;
using static Pipeline.Tests.Images.MarginDrawing;

namespace Pipeline.Tests.Images;

/// <summary><see cref="ResizeMode.TrimAndPad"/>: the margin around a drawing is cut away before it is letterboxed.</summary>
[Trait("Kind", "Unit")]
public class ImageLoaderTrimTests
{
    [Theory]
    [InlineData("white")]
    [InlineData("transparent")]
    public void A_drawing_in_a_wide_off_centre_margin_is_fitted_as_the_same_drawing_with_only_the_border(string margin)
    {
        var canvas = margin == "white" ? SKColors.White : new SKColor(0, 0, 0, 0);
        var inMargin = Placed(300, 260, left: 20, top: 190, canvas);
        var withBorderOnly = Placed(DrawingSide + 2 * Border, DrawingSide + 2 * Border, Border, Border, SKColors.White);

        var trimmed = Load(inMargin, ResizeMode.TrimAndPad);
        var reference = Load(withBorderOnly, ResizeMode.Pad);
        var letterboxed = Load(inMargin, ResizeMode.Pad);

        // The same pixels scaled the same way: equal but for the resampler's rounding.
        Assert.True(MeanDifference(trimmed, reference) < 1.0, $"mean |Δ| {MeanDifference(trimmed, reference):0.00}");
        // Without trimming the drawing is a small patch in a corner: far from it, so the check above can fail.
        Assert.True(MeanDifference(letterboxed, reference) > 40, $"mean |Δ| {MeanDifference(letterboxed, reference):0.00}");
        ImageAssert.Near(RgbColor.Black, trimmed[32, 4], 16);
    }

    [Fact]
    public void An_image_whose_content_reaches_its_edges_is_fitted_exactly_as_pad_fits_it()
    {
        var random = new Random(7);
        var noise = TestImages.Encode(TestImages.Bitmap(80, 60,
            (_, _) => new SKColor((byte)random.Next(0, 200), (byte)random.Next(0, 200), (byte)random.Next(0, 200))),
            SKEncodedImageFormat.Png);

        Assert.Equal(Load(noise, ResizeMode.Pad).Pixels, Load(noise, ResizeMode.TrimAndPad).Pixels);
    }

    [Fact]
    public void A_blank_image_with_specks_fainter_than_the_tolerance_is_not_blown_up()
    {
        byte faint = 255 - ContentBounds.Tolerance;
        var blank = TestImages.Encode(TestImages.Bitmap(120, 120,
            (x, y) => (x, y) is (5, 5) or (110, 100) ? new SKColor(faint, faint, faint) : SKColors.White), SKEncodedImageFormat.Png);

        Assert.Equal(Load(blank, ResizeMode.Pad).Pixels, Load(blank, ResizeMode.TrimAndPad).Pixels);
    }

    [Fact]
    public void A_speck_just_past_the_tolerance_counts_as_content()
    {
        byte visible = 255 - ContentBounds.Tolerance - 1;
        var specks = TestImages.Encode(TestImages.Bitmap(120, 120,
            (x, y) => (x, y) is (40, 40) or (49, 49) ? new SKColor(visible, 255, 255) : SKColors.White), SKEncodedImageFormat.Png);

        var trimmed = Load(specks, ResizeMode.TrimAndPad);

        // A 10 x 10 box (plus its border) blown up to 64 px: its specks land in opposite corners, not near the middle.
        Assert.True(trimmed[3, 3].R < 250, $"top-left speck {trimmed[3, 3]}");
        Assert.True(trimmed[60, 60].R < 250, $"bottom-right speck {trimmed[60, 60]}");
        Assert.Equal(RgbColor.White, trimmed[32, 32]);
    }
}
