using Pipeline.Features;
using Pipeline.Images;

namespace Pipeline.Tests.Features;

/// <summary>The style views: the grey image, and the outline a line drawing of it would show.</summary>
[Trait("Kind", "Unit")]
public sealed class ImageStyleViewTests
{
    private const int Side = 64;

    private static float[] ToneOf(byte r, byte g, byte b, PixelScaling scaling) =>
        PixelTensorWriter.ToChw(new RgbImage(1, 1, [r, g, b]), scaling);

    /// <summary>A white canvas with a filled square of <paramref name="rgb"/> at [left, left + size)², in <paramref name="scaling"/>.</summary>
    private static float[] Canvas(int left, int size, byte[] rgb, PixelScaling scaling)
    {
        var pixels = new byte[Side * Side * 3];
        Array.Fill(pixels, (byte)255);
        for (var y = left; y < left + size; y++)
            for (var x = left; x < left + size; x++)
                rgb.CopyTo(pixels, (y * Side + x) * 3);
        return PixelTensorWriter.ToChw(new RgbImage(Side, Side, pixels), scaling);
    }

    /// <summary>A pixel of the view brought back to 0 (black) .. 1 (white) in one channel.</summary>
    private static float Brightness(float[] chw, int channel, int x, int y, PixelScaling scaling)
    {
        var white = ToneOf(255, 255, 255, scaling)[channel];
        var black = ToneOf(0, 0, 0, scaling)[channel];
        return (chw[(channel * Side + y) * Side + x] - black) / (white - black);
    }

    private static void Apply(ImageView view, float[] chw, PixelScaling scaling) =>
        ImageViewGeometry.Apply(view, chw, Side, ToneOf(255, 255, 255, scaling), ToneOf(0, 0, 0, scaling));

    [Theory]
    [InlineData(PixelScaling.Raw)]
    [InlineData(PixelScaling.ImageNetMeanStd)]
    public void Greyscale_gives_every_channel_the_pixels_luma_whatever_the_backbones_scaling(PixelScaling scaling)
    {
        // Pure red: luma 0.299 (Rec. 601), the same in every channel once the scaling's per-channel offsets are undone.
        var chw = Canvas(0, Side, [255, 0, 0], scaling);

        Apply(ImageView.Greyscale, chw, scaling);

        for (var c = 0; c < 3; c++)
            Assert.Equal(0.299, Brightness(chw, c, 10, 10, scaling), 3);
    }

    [Theory]
    [InlineData(PixelScaling.Raw)]
    [InlineData(PixelScaling.MinusOneToOne)]
    public void An_outline_is_dark_along_a_shapes_edge_and_white_inside_it_and_around_it(PixelScaling scaling)
    {
        // A blue square at [16, 48)²: its edges at x = 16 and x = 48.
        var chw = Canvas(16, 32, [0, 0, 200], scaling);

        Apply(ImageView.Outline, chw, scaling);

        for (var c = 0; c < 3; c++)
        {
            Assert.True(Brightness(chw, c, 16, 32, scaling) < 0.1, "the left edge is drawn dark");
            Assert.True(Brightness(chw, c, 47, 32, scaling) < 0.1, "the right edge is drawn dark");
            Assert.True(Brightness(chw, c, 32, 32, scaling) > 0.99, "the flat inside is white, not the square's colour");
            Assert.True(Brightness(chw, c, 4, 4, scaling) > 0.99, "the background stays white");
        }
    }

    [Fact]
    public void An_outline_draws_a_faint_shape_as_clearly_as_a_bold_one()
    {
        var faint = Canvas(16, 32, [230, 230, 230], PixelScaling.Raw);
        var bold = Canvas(16, 32, [0, 0, 0], PixelScaling.Raw);

        Apply(ImageView.Outline, faint, PixelScaling.Raw);
        Apply(ImageView.Outline, bold, PixelScaling.Raw);

        // The same drawing, to float rounding (the gradients differ by the contrast, a factor the normalisation removes).
        Assert.All(Enumerable.Range(0, bold.Length), i => Assert.Equal(bold[i], faint[i], 0.01f));
    }

    [Fact]
    public void A_flat_image_has_no_outline()
    {
        var chw = Canvas(0, Side, [120, 60, 30], PixelScaling.Raw);

        Apply(ImageView.Outline, chw, PixelScaling.Raw);

        // White to float rounding: the gradient of a flat plane is zero up to the rounding of its sums.
        Assert.All(chw, value => Assert.Equal(255f, value, 0.01f));
    }

    [Fact]
    public void A_style_view_needs_the_value_of_black()
    {
        var chw = Canvas(16, 32, [0, 0, 0], PixelScaling.Raw);

        Assert.Throws<ArgumentException>(() => ImageViewGeometry.Apply(ImageView.Outline, chw, Side, [255f, 255f, 255f]));
    }

    [Fact]
    public void Each_style_view_has_its_own_feature_cache_key()
    {
        var suffixes = ImageStyleViews.All.Append(ImageView.Original).Concat(ImageViewGeometry.Augmenting)
            .Select(ImageViewGeometry.CacheSuffix).ToList();

        Assert.Equal(suffixes.Count, suffixes.Distinct().Count());
    }
}
