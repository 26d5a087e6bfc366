using Pipeline.Images;
using SkiaSharp;
using Xunit;

namespace Pipeline.Tests.Images;

[Trait("Kind", "Unit")]
public class ImageLoaderFormatTests
{
    private static readonly SKColor Teal = new(30, 140, 150);

    [Theory]
    [InlineData("png", ImageFormat.Png, 0)]
    [InlineData("jpeg", ImageFormat.Jpeg, 4)]
    [InlineData("webp", ImageFormat.Webp, 4)]
    [InlineData("bmp", ImageFormat.Bmp, 0)]
    [InlineData("gif", ImageFormat.Gif, 0)]
    public void Each_supported_format_decodes_to_the_target_size_with_its_colours(string name, ImageFormat format, int tolerance)
    {
        var encoded = TestImages.Solid(120, 80, Teal, name);

        var loaded = ImageAssert.Loaded(ImageLoader.Load(encoded, new ImageLoadOptions { TargetWidth = 64, TargetHeight = 48 }));

        Assert.Equal(format, loaded.Format);
        Assert.Equal((120, 80), (loaded.OriginalWidth, loaded.OriginalHeight));
        Assert.Equal((64, 48), (loaded.Image.Width, loaded.Image.Height));
        Assert.Equal(64 * 48 * 3, loaded.Image.Pixels.Length);
        ImageAssert.AllNear(new RgbColor(30, 140, 150), loaded.Image, tolerance);
    }

    [Fact]
    public void Pixels_are_row_major_rgb_with_the_top_left_first()
    {
        // Quadrants: red, green / blue, white. Same size target, so no resampling blurs the answer.
        using var bitmap = TestImages.Bitmap(16, 16, (x, y) => (x < 8, y < 8) switch
        {
            (true, true) => SKColors.Red,
            (false, true) => SKColors.Lime,
            (true, false) => SKColors.Blue,
            _ => SKColors.White,
        });
        var encoded = TestImages.Encode(bitmap, SKEncodedImageFormat.Png);

        var image = ImageAssert.Loaded(ImageLoader.Load(encoded, ImageLoadOptions.Square(16))).Image;

        Assert.Equal(new RgbColor(255, 0, 0), image[0, 0]);
        Assert.Equal(new RgbColor(0, 255, 0), image[15, 0]);
        Assert.Equal(new RgbColor(0, 0, 255), image[0, 15]);
        Assert.Equal(new RgbColor(255, 255, 255), image[15, 15]);
        Assert.Equal([255, 0, 0], image.Pixels[..3]);
    }

    [Fact]
    public void Bottom_up_bmp_keeps_its_top_row_on_top()
    {
        var encoded = TestImages.Bmp(16, 16, (_, y) => y < 8 ? SKColors.Red : SKColors.Blue);

        var image = ImageAssert.Loaded(ImageLoader.Load(encoded, ImageLoadOptions.Square(16))).Image;

        Assert.Equal(new RgbColor(255, 0, 0), image[3, 0]);
        Assert.Equal(new RgbColor(0, 0, 255), image[3, 15]);
    }

    [Fact]
    public void Gif_uses_its_first_frame_and_flattens_its_transparent_index()
    {
        SKColor[] palette = [SKColors.Red, SKColors.Black];
        var encoded = TestImages.Gif(16, 16, palette, (x, _) => x < 8 ? 0 : 1, transparentIndex: 1);

        var image = ImageAssert.Loaded(ImageLoader.Load(encoded, ImageLoadOptions.Square(16))).Image;

        Assert.Equal(new RgbColor(255, 0, 0), image[2, 5]);
        Assert.Equal(RgbColor.White, image[12, 5]);
    }

    [Theory]
    [InlineData(1, false, false)]
    [InlineData(3, true, true)]
    [InlineData(6, false, false)]
    [InlineData(8, false, true)]
    public void Exif_orientation_turns_the_photo_upright(ushort orientation, bool redOnRight, bool redOnBottom)
    {
        // Stored 32x16: left half red, right half blue.
        using var bitmap = TestImages.Bitmap(32, 16, (x, _) => x < 16 ? SKColors.Red : SKColors.Blue);
        var encoded = TestImages.JpegWithOrientation(bitmap, orientation);

        var loaded = ImageAssert.Loaded(ImageLoader.Load(encoded, ImageLoadOptions.Square(32)));

        Assert.Equal((32, 16), (loaded.OriginalWidth, loaded.OriginalHeight));
        var image = loaded.Image;
        bool turned = orientation >= 5;
        // Upright, a sideways photo's red half is the top or bottom half; otherwise it is the left or right half.
        var (redX, redY) = turned ? (16, redOnBottom ? 28 : 3) : (redOnRight ? 28 : 3, 16);
        var (blueX, blueY) = turned ? (16, redOnBottom ? 3 : 28) : (redOnRight ? 3 : 28, 16);
        Assert.True(image[redX, redY].R > 200 && image[redX, redY].B < 60, $"expected red at ({redX},{redY}), got {image[redX, redY]}");
        Assert.True(image[blueX, blueY].B > 200 && image[blueX, blueY].R < 60, $"expected blue at ({blueX},{blueY}), got {image[blueX, blueY]}");
    }

    [Fact]
    public void Grey_jpeg_decodes_to_equal_channels()
    {
        using var bitmap = new SKBitmap(new SKImageInfo(40, 40, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(90, 90, 90));
        var encoded = TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg);

        var image = ImageAssert.Loaded(ImageLoader.Load(encoded, ImageLoadOptions.Square(20))).Image;

        ImageAssert.AllNear(new RgbColor(90, 90, 90), image, 3);
    }
}
