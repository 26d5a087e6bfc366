using Pipeline.Images;
using SkiaSharp;
using Xunit;
using static Pipeline.Tests.Images.MarginDrawing;

namespace Pipeline.Tests.Images;

/// <summary>
/// <see cref="ResizeMode.TrimPaperAndPad"/>: a drawing on tinted paper is cut as <see cref="ResizeMode.TrimBorderAndPad"/>
/// cuts it, and the paper left between its lines, round its edges and in the letterbox reads as white, so it loads as
/// the same drawing on white; colours far from the paper's keep theirs, and an image with a white margin or a border of
/// many colours is fitted exactly as <see cref="ResizeMode.TrimAndPad"/> fits it.
/// </summary>
[Trait("Kind", "Unit")]
public class ImageLoaderPaperTests
{
    private static readonly SKColor Kraft = new(206, 178, 138);
    private static readonly SKColor Mint = new(200, 240, 215);

    [Theory]
    [InlineData(206, 178, 138)] // kraft
    [InlineData(200, 240, 215)] // mint
    [InlineData(250, 190, 170)] // coral
    public void A_line_drawing_on_tinted_paper_loads_as_the_same_drawing_on_white(byte r, byte g, byte b)
    {
        var paper = new SKColor(r, g, b);
        var onPaper = LineDrawing(paper);
        var onWhite = LineDrawing(SKColors.White);

        var read = LoadAt224(onPaper, ResizeMode.TrimPaperAndPad);
        var reference = LoadAt224(onWhite, ResizeMode.TrimAndPad);
        var tintKept = LoadAt224(onPaper, ResizeMode.TrimBorderAndPad);

        // What is left is the anti-aliased rim of each line, which still holds some of the paper's colour.
        Assert.True(MeanDifference(read, reference) < 2, $"mean |Δ| {MeanDifference(read, reference):0.00}");
        // The same cut with the tint kept is far from it, so the check above can fail.
        Assert.True(MeanDifference(tintKept, reference) > 25, $"tint kept: mean |Δ| {MeanDifference(tintKept, reference):0.00}");
    }

    [Fact]
    public void The_letterbox_is_white_and_colours_far_from_the_paper_keep_theirs()
    {
        // A wide bar, black with a red middle, on kraft: trimmed to the bar, it fills the width and leaves bands above
        // and below.
        var bar = TestImages.Encode(TestImages.Bitmap(300, 260, (x, y) =>
            x is >= 40 and < 240 && y is >= 100 and < 140 ? (x is >= 110 and < 170 ? SKColors.Red : SKColors.Black) : Kraft),
            SKEncodedImageFormat.Png);

        var read = Load(bar, ResizeMode.TrimPaperAndPad);
        var tintKept = Load(bar, ResizeMode.TrimBorderAndPad);

        ImageAssert.Near(RgbColor.White, read[32, 2], 0);
        ImageAssert.Near(RgbColor.White, read[2, 62], 0);
        Assert.Equal(tintKept[32, 32], read[32, 32]); // red
        Assert.Equal(tintKept[4, 32], read[4, 32]); // black
        ImageAssert.Near(new RgbColor(255, 0, 0), read[32, 32], 16);
    }

    [Fact]
    public void A_coloured_button_that_fills_its_frame_keeps_its_colour()
    {
        // A purple square with transparent corners and a white cross, as emoji vendors draw symbol buttons: its border
        // is uniform purple, but nothing is cut from it, so the purple is the drawing's ground, not paper.
        var purple = new SKColor(120, 60, 170);
        var button = TestImages.Encode(TestImages.Bitmap(144, 144, (x, y) =>
            (x < 6 || x >= 138) && (y < 6 || y >= 138) ? new SKColor(0, 0, 0, 0)
            : (x is >= 62 and < 82 && y is >= 30 and < 114) || (y is >= 62 and < 82 && x is >= 30 and < 114) ? SKColors.White
            : purple), SKEncodedImageFormat.Png);

        var read = Load(button, ResizeMode.TrimPaperAndPad);

        Assert.Equal(Load(button, ResizeMode.TrimAndPad).Pixels, read.Pixels);
        ImageAssert.Near(new RgbColor(purple.Red, purple.Green, purple.Blue), read[16, 16], 2);
    }

    [Theory]
    [InlineData(30, 90, 200)] // a saturated blue app icon
    [InlineData(200, 240, 215)] // a mint tile: a paper's colour, but the drawing on it is white
    public void A_white_drawing_on_a_coloured_square_is_not_read_as_paper(byte r, byte g, byte b)
    {
        // A square icon with sharp corners and a white glyph: the colour is cut round the glyph as a margin, but the
        // glyph is as light as the white the paper would become, so reading it as paper would leave a blank image.
        var ground = new SKColor(r, g, b);
        var icon = TestImages.Encode(TestImages.Bitmap(144, 144, (x, y) =>
            (x is >= 62 and < 82 && y is >= 30 and < 114) || (y is >= 62 and < 82 && x is >= 30 and < 114) ? SKColors.White
            : ground), SKEncodedImageFormat.Png);

        var read = Load(icon, ResizeMode.TrimPaperAndPad);

        Assert.Equal(Load(icon, ResizeMode.TrimBorderAndPad).Pixels, read.Pixels);
        ImageAssert.Near(new RgbColor(r, g, b), read[2, 2], 2);
    }

    [Theory]
    [InlineData("chalk")]
    [InlineData("colours")]
    public void A_ground_darker_than_what_is_drawn_on_it_is_not_read_as_paper(string drawn)
    {
        // On black: white chalk strokes, or light coloured shapes (a photo or a logo in a black frame). Read as paper,
        // the chalk would vanish and every dark pixel would turn white.
        var black = new SKColor(20, 20, 24);
        var image = TestImages.Encode(TestImages.Bitmap(300, 260, (x, y) =>
            x is >= 60 and < 240 && y is >= 60 and < 200
                ? drawn == "chalk"
                    ? ((x / 12 + y / 12) % 3 == 0 ? new SKColor(245, 245, 240) : black)
                    : (x < 150 ? new SKColor(230, 180, 40) : new SKColor(90, 160, 220))
                : black), SKEncodedImageFormat.Png);

        var read = Load(image, ResizeMode.TrimPaperAndPad);

        Assert.Equal(Load(image, ResizeMode.TrimBorderAndPad).Pixels, read.Pixels);
        Assert.NotEqual(Load(image, ResizeMode.TrimAndPad).Pixels, read.Pixels); // the black was cut as a margin
    }

    [Fact]
    public void A_drawing_in_light_and_dark_ink_on_paper_is_read_on_white()
    {
        // Most of what is not paper is dark (black outline), some is white (a highlight inside it): still a drawing
        // on paper, so the paper round it reads as white.
        var drawing = TestImages.Encode(TestImages.Bitmap(300, 260, (x, y) =>
            x is >= 60 and < 240 && y is >= 60 and < 200
                ? (x is >= 130 and < 170 && y is >= 110 and < 150 ? SKColors.White
                    : x is >= 70 and < 230 && y is >= 70 and < 190 ? Kraft : SKColors.Black)
                : Kraft), SKEncodedImageFormat.Png);

        var read = Load(drawing, ResizeMode.TrimPaperAndPad);

        ImageAssert.Near(RgbColor.White, read[2, 2], 0);
        Assert.NotEqual(Load(drawing, ResizeMode.TrimBorderAndPad).Pixels, read.Pixels);
    }

    [Theory]
    [InlineData("white")]
    [InlineData("transparent")]
    [InlineData("near white")]
    [InlineData("two colours")]
    public void An_image_with_a_white_margin_or_a_border_of_many_colours_is_fitted_exactly_as_trim_and_pad_fits_it(string margin)
    {
        Func<int, int, SKColor> canvas = margin switch
        {
            "white" => (_, _) => SKColors.White,
            "transparent" => (_, _) => new SKColor(0, 0, 0, 0),
            "near white" => (_, _) => new SKColor(240, 244, 236),
            _ => (_, y) => y < 130 ? Mint : Kraft, // a sky over ground: each half of the border
        };
        var image = Placed(300, 260, 20, 190, canvas);

        Assert.Equal(Load(image, ResizeMode.TrimAndPad).Pixels, Load(image, ResizeMode.TrimPaperAndPad).Pixels);
    }

    [Theory]
    [InlineData(0, 1.0)] // the paper's colour
    [InlineData(ContentBounds.Tolerance, 1.0)] // as far as trimming reads as margin
    [InlineData((ContentBounds.Tolerance + PaperWhitening.EdgeReach) / 2, 0.5)] // half way up the ramp
    [InlineData(PaperWhitening.EdgeReach, 0.0)] // content
    public void A_pixel_moves_towards_white_by_its_closeness_to_the_paper(int darker, double share)
    {
        // Kraft's red channel is its largest, so darkening all three channels by the same amount puts the pixel
        // exactly that far from the paper.
        byte[] original = [(byte)(Kraft.Red - darker), (byte)(Kraft.Green - darker), (byte)(Kraft.Blue - darker)];
        var pixel = original.ToArray();

        PaperWhitening.ToBackground(pixel, new RgbColor(Kraft.Red, Kraft.Green, Kraft.Blue), RgbColor.White);

        // Each channel moves by the same share of the paper's own distance to white.
        byte[] paper = [Kraft.Red, Kraft.Green, Kraft.Blue];
        for (var c = 0; c < 3; c++)
        {
            Assert.InRange(pixel[c] - (original[c] + share * (255 - paper[c])), -0.5, 0.5);
        }
    }

    /// <summary>
    /// Anti-aliased black strokes (a circle, a cross) drawn on a transparent layer and laid on <paramref name="paper"/>
    /// with a wide margin, as tools/evalsets/on-paper.cjs lays the proxies' line drawings on paper.
    /// </summary>
    private static byte[] LineDrawing(SKColor paper)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(600, 480, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        using (var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 6 })
        {
            canvas.Clear(paper);
            canvas.DrawCircle(260, 250, 110, ink);
            canvas.DrawLine(180, 170, 340, 330, ink);
            canvas.DrawLine(340, 170, 180, 330, ink);
        }

        return TestImages.Encode(bitmap, SKEncodedImageFormat.Png);
    }

    private static RgbImage LoadAt224(byte[] png, ResizeMode mode) =>
        ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(224) with { ResizeMode = mode })).Image;
}
