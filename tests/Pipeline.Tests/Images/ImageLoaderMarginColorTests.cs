using Pipeline.Images;
using SkiaSharp;
using Xunit;
using static Pipeline.Tests.Images.MarginDrawing;

namespace Pipeline.Tests.Images;

/// <summary>
/// <see cref="ResizeMode.TrimBorderAndPad"/>: a margin of any uniform colour (tinted paper, a coloured canvas) is cut away
/// like a white one and the letterbox continues it; where the border is white or not one colour, the image is fitted
/// exactly as <see cref="ResizeMode.TrimAndPad"/> fits it.
/// </summary>
[Trait("Kind", "Unit")]
public class ImageLoaderMarginColorTests
{
    private static readonly SKColor Kraft = new(206, 178, 138);

    [Theory]
    [InlineData(20, 290)] // in the margin
    [InlineData(0, 0)] // in the corner: a fifteenth of the border is drawing
    public void A_drawing_on_tinted_paper_is_fitted_as_the_same_drawing_with_only_the_border(int left, int top)
    {
        var onPaper = Placed(400, 360, left, top, Kraft);
        // The border is clipped where the drawing touches the edge; the reference is square either way, so it fills
        // the input without a letterbox.
        int leftBorder = Math.Min(left, Border), topBorder = Math.Min(top, Border);
        var withBorderOnly = Placed(DrawingSide + leftBorder + Border, DrawingSide + topBorder + Border, leftBorder, topBorder, Kraft);

        var trimmed = Load(onPaper, ResizeMode.TrimBorderAndPad);
        var reference = Load(withBorderOnly, ResizeMode.Pad);
        var whiteRule = Load(onPaper, ResizeMode.TrimAndPad);

        Assert.True(MeanDifference(trimmed, reference) < 1.0, $"mean |Δ| {MeanDifference(trimmed, reference):0.00}");
        // The white rule finds no white margin and keeps the whole sheet: far from it, so the check above can fail.
        Assert.True(MeanDifference(whiteRule, reference) > 40, $"mean |Δ| {MeanDifference(whiteRule, reference):0.00}");
    }

    [Fact]
    public void The_letterbox_around_content_cut_from_a_coloured_margin_has_the_margin_colour()
    {
        // A wide bar on kraft: trimmed to the bar, it fills the width and leaves bands above and below.
        var bar = TestImages.Encode(TestImages.Bitmap(300, 260,
            (x, y) => x is >= 40 and < 240 && y is >= 100 and < 140 ? SKColors.Black : Kraft), SKEncodedImageFormat.Png);

        var trimmed = Load(bar, ResizeMode.TrimBorderAndPad);

        ImageAssert.Near(new RgbColor(Kraft.Red, Kraft.Green, Kraft.Blue), trimmed[32, 2], 2);
        ImageAssert.Near(RgbColor.Black, trimmed[4, 32], 16);
        ImageAssert.Near(RgbColor.Black, trimmed[60, 32], 16);
    }

    [Theory]
    [InlineData("white")]
    [InlineData("transparent")]
    [InlineData("near white")]
    public void An_image_with_a_white_margin_is_fitted_exactly_as_trim_and_pad_fits_it(string margin)
    {
        var canvas = margin switch
        {
            "white" => SKColors.White,
            "transparent" => new SKColor(0, 0, 0, 0),
            _ => new SKColor(240, 244, 236),
        };
        var image = Placed(300, 260, 20, 190, canvas);

        Assert.Equal(Load(image, ResizeMode.TrimAndPad).Pixels, Load(image, ResizeMode.TrimBorderAndPad).Pixels);
    }

    [Theory]
    [InlineData("noise")]
    [InlineData("two colours")]
    public void An_image_whose_border_is_not_one_colour_is_fitted_exactly_as_trim_and_pad_fits_it(string border)
    {
        var random = new Random(7);
        Func<int, int, SKColor> canvas = border == "noise"
            ? (_, _) => new SKColor((byte)random.Next(0, 200), (byte)random.Next(0, 200), (byte)random.Next(0, 200))
            : (_, y) => y < 130 ? new SKColor(90, 140, 230) : Kraft; // a sky over ground: each half of the border
        var image = Placed(300, 260, 20, 190, canvas);

        var trimmed = Load(image, ResizeMode.TrimBorderAndPad);

        Assert.Equal(Load(image, ResizeMode.TrimAndPad).Pixels, trimmed.Pixels);
    }

    [Fact]
    public void A_frame_line_round_a_card_is_not_a_margin()
    {
        // A white card with a 2 px black outline and a red pip: its whole outermost ring is black, the ring inside white.
        var card = TestImages.Encode(TestImages.Bitmap(200, 290, (x, y) =>
            x < 2 || y < 2 || x >= 198 || y >= 288 ? SKColors.Black
            : x is >= 80 and < 120 && y is >= 120 and < 170 ? SKColors.Red
            : SKColors.White), SKEncodedImageFormat.Png);

        Assert.Equal(Load(card, ResizeMode.TrimAndPad).Pixels, Load(card, ResizeMode.TrimBorderAndPad).Pixels);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 7)]
    [InlineData(9, 1)]
    [InlineData(4, 4)]
    [InlineData(8, 300)]
    public void Images_too_small_for_two_rings_load_and_one_of_a_single_colour_fills_the_input_with_it(int width, int height)
    {
        var tiny = TestImages.Encode(TestImages.Bitmap(width, height, (_, _) => Kraft), SKEncodedImageFormat.Png);
        // Below the loader's default minimum side, which a deployment may lower.
        var options = ImageLoadOptions.Square(64) with
        {
            ResizeMode = ResizeMode.TrimBorderAndPad, Limits = ImageLimits.Default with { MinSide = 1 },
        };

        var loaded = ImageAssert.Loaded(ImageLoader.Load(tiny, options)).Image;

        // All margin and no content: the whole image is fitted, and the letterbox has its colour too.
        ImageAssert.AllNear(new RgbColor(Kraft.Red, Kraft.Green, Kraft.Blue), loaded, 2);
    }
}
