using Pipeline.Images;
using SkiaSharp;
using Xunit;

namespace Pipeline.Tests.Images;

[Trait("Kind", "Unit")]
public class ImageLoaderResizeTests
{
    [Fact]
    public void Transparent_png_flattens_to_white()
    {
        // Left half: fully transparent black (black must not leak). Right half: red at half opacity.
        using var bitmap = TestImages.Bitmap(64, 64, (x, _) => x < 32 ? new SKColor(0, 0, 0, 0) : new SKColor(255, 0, 0, 128));
        var png = TestImages.Encode(bitmap, SKEncodedImageFormat.Png);

        var image = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(32))).Image;

        Assert.Equal(RgbColor.White, image[0, 0]);
        Assert.Equal(RgbColor.White, image[14, 20]);
        ImageAssert.Near(new RgbColor(255, 127, 127), image[24, 20], 1);
        ImageAssert.Near(new RgbColor(255, 127, 127), image[31, 31], 1);
    }

    [Fact]
    public void Transparent_edges_do_not_darken_when_downscaled()
    {
        // Premultiplied resampling before compositing would pull black into the boundary; we composite first.
        using var bitmap = TestImages.Bitmap(256, 256, (x, y) => (x / 4 + y / 4) % 2 == 0 ? new SKColor(0, 0, 0, 0) : new SKColor(255, 255, 255, 255));
        var png = TestImages.Encode(bitmap, SKEncodedImageFormat.Png);

        var image = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(16))).Image;

        ImageAssert.AllNear(RgbColor.White, image, 1);
    }

    [Fact]
    public void Background_option_decides_what_transparency_becomes()
    {
        var png = TestImages.Solid(32, 32, new SKColor(200, 10, 10, 0), SKEncodedImageFormat.Png);
        var options = ImageLoadOptions.Square(8) with { Background = new RgbColor(10, 20, 30) };

        var image = ImageAssert.Loaded(ImageLoader.Load(png, options)).Image;

        ImageAssert.AllNear(new RgbColor(10, 20, 30), image, 0);
    }

    [Fact]
    public void Stretch_fills_the_whole_target()
    {
        var png = TestImages.Solid(200, 50, SKColors.Red, SKEncodedImageFormat.Png);

        var image = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(64))).Image;

        ImageAssert.AllNear(new RgbColor(255, 0, 0), image, 0);
    }

    [Fact]
    public void Pad_keeps_the_aspect_ratio_and_letterboxes_with_the_background()
    {
        var png = TestImages.Solid(200, 100, SKColors.Red, SKEncodedImageFormat.Png);
        var options = ImageLoadOptions.Square(64) with { ResizeMode = ResizeMode.Pad, Background = RgbColor.Black };

        var image = ImageAssert.Loaded(ImageLoader.Load(png, options)).Image;

        // 200x100 fits as 64x32, centred: rows 16..47 are picture, the rest bars.
        Assert.Equal(RgbColor.Black, image[32, 0]);
        Assert.Equal(RgbColor.Black, image[32, 15]);
        Assert.Equal(new RgbColor(255, 0, 0), image[0, 16]);
        Assert.Equal(new RgbColor(255, 0, 0), image[63, 47]);
        Assert.Equal(RgbColor.Black, image[32, 48]);
        Assert.Equal(RgbColor.Black, image[32, 63]);
    }

    [Fact]
    public void Downscaling_a_fine_checkerboard_averages_to_grey_instead_of_aliasing()
    {
        using var bitmap = TestImages.Bitmap(1024, 1024, (x, y) => ((x + y) & 1) == 0 ? SKColors.Black : SKColors.White);
        var png = TestImages.Encode(bitmap, SKEncodedImageFormat.Png);

        var image = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(100))).Image;

        ImageAssert.AllNear(new RgbColor(128, 128, 128), image, 12);
    }

    [Fact]
    public void Upscaling_works_for_images_smaller_than_the_target()
    {
        var png = TestImages.Solid(10, 10, SKColors.Blue, SKEncodedImageFormat.Png);

        var image = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(224))).Image;

        ImageAssert.AllNear(new RgbColor(0, 0, 255), image, 0);
    }

    [Fact]
    public void Loading_the_same_bytes_twice_gives_identical_pixels()
    {
        using var bitmap = TestImages.Bitmap(300, 170, (x, y) => new SKColor((byte)(x * 7), (byte)(y * 3), (byte)(x * y), (byte)(x + y)));
        var png = TestImages.Encode(bitmap, SKEncodedImageFormat.Png);
        var jpeg = TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg);

        foreach (var bytes in new[] { png, jpeg })
        {
            var first = ImageAssert.Loaded(ImageLoader.Load(bytes, ImageLoadOptions.Square(97))).Image;
            var second = ImageAssert.Loaded(ImageLoader.Load(bytes, ImageLoadOptions.Square(97))).Image;
            Assert.Equal(first.Pixels, second.Pixels);
        }
    }

    [Fact]
    public void Loading_in_parallel_gives_the_same_pixels_as_loading_alone()
    {
        using var bitmap = TestImages.Bitmap(200, 200, (x, y) => new SKColor((byte)x, (byte)y, (byte)(x ^ y), (byte)(255 - x)));
        var png = TestImages.Encode(bitmap, SKEncodedImageFormat.Png);
        var expected = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(50))).Image.Pixels;

        var results = new byte[16][];
        Parallel.For(0, results.Length, i => results[i] = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(50))).Image.Pixels);

        Assert.All(results, pixels => Assert.Equal(expected, pixels));
    }
}
