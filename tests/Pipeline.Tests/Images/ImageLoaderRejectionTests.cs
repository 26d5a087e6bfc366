using Pipeline.Images;
using SkiaSharp;
using Xunit;

namespace Pipeline.Tests.Images;

[Trait("Kind", "Unit")]
public class ImageLoaderRejectionTests
{
    private static readonly ImageLoadOptions Options = ImageLoadOptions.Square(32);

    [Fact]
    public void Zero_byte_file_is_rejected_as_empty()
    {
        ImageAssert.Rejected(ImageLoader.Load(Array.Empty<byte>(), Options), ImageRejectionReason.Empty);
    }

    [Fact]
    public void Text_file_named_jpg_is_not_an_image()
    {
        var text = "these are my holiday notes, saved as holiday.jpg by mistake\n"u8.ToArray();

        var rejected = ImageAssert.Rejected(ImageLoader.Load(text, Options), ImageRejectionReason.NotAnImage);

        Assert.Contains("not a supported image", rejected.Message);
    }

    [Fact]
    public void Tiff_and_other_formats_are_not_images()
    {
        byte[] tiff = [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0];

        ImageAssert.Rejected(ImageLoader.Load(tiff, Options), ImageRejectionReason.NotAnImage);
    }

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("gif")]
    [InlineData("bmp")]
    public void Truncated_file_is_rejected_as_corrupt_not_half_grey(string format)
    {
        using var bitmap = TestImages.Bitmap(64, 64, (x, y) => new SKColor((byte)(x * 4), (byte)(y * 4), (byte)(x ^ y)));
        var whole = format switch
        {
            "jpeg" => TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg),
            "png" => TestImages.Encode(bitmap, SKEncodedImageFormat.Png),
            "webp" => TestImages.Encode(bitmap, SKEncodedImageFormat.Webp),
            "gif" => TestImages.Gif(64, 64, [], (x, y) => (x + y) & 255),
            _ => TestImages.Bmp(64, 64, (x, y) => bitmap.GetPixel(x, y)),
        };
        Assert.True(ImageLoader.Load(whole, Options).IsLoaded);

        var rejected = ImageAssert.Rejected(ImageLoader.Load(whole[..(whole.Length * 6 / 10)], Options), ImageRejectionReason.Corrupt);

        Assert.StartsWith(format.ToUpperInvariant(), rejected.Message);
    }

    [Fact]
    public void Jpeg_cut_inside_its_header_is_corrupt()
    {
        var jpeg = TestImages.Solid(64, 64, SKColors.Red, SKEncodedImageFormat.Jpeg);

        ImageAssert.Rejected(ImageLoader.Load(jpeg[..20], Options), ImageRejectionReason.Corrupt);
    }

    [Fact]
    public void Png_with_damaged_image_data_is_corrupt()
    {
        var png = PngBuilder.Build(64, 64, PngKind.Rgb8, (x, y) => new SKColor((byte)x, (byte)y, 9));
        for (int i = png.Length / 2; i < png.Length / 2 + 40; i++)
        {
            png[i] ^= 0xA5;
        }

        ImageAssert.Rejected(ImageLoader.Load(png, Options), ImageRejectionReason.Corrupt);
    }

    [Fact]
    public void Header_claiming_100000x100000_is_rejected_before_anything_is_allocated()
    {
        var png = TestImages.PngClaiming(100_000, 100_000);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var rejected = ImageAssert.Rejected(ImageLoader.Load(png, Options), ImageRejectionReason.DimensionsTooLarge);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "a pixel buffer was allocated");
        Assert.Equal("PNG is 100000x100000, above the 40000-pixel limit per side", rejected.Message);
    }

    [Fact]
    public void Pixel_count_above_the_limit_is_explained_in_megapixels()
    {
        var png = TestImages.PngClaiming(21_000, 29_700);
        var options = Options with { Limits = new ImageLimits { MaxPixels = 100_000_000 } };

        var rejected = ImageAssert.Rejected(ImageLoader.Load(png, options), ImageRejectionReason.DimensionsTooLarge);

        Assert.Equal("PNG is 21000x29700 = 623.7 MP, above the 100 MP limit", rejected.Message);
    }

    [Fact]
    public void Two_by_two_image_is_too_small()
    {
        var png = TestImages.Solid(2, 2, SKColors.Red, SKEncodedImageFormat.Png);

        var rejected = ImageAssert.Rejected(ImageLoader.Load(png, Options), ImageRejectionReason.TooSmall);

        Assert.Equal("PNG is 2x2, below the 8-pixel minimum per side", rejected.Message);
    }

    [Fact]
    public void File_above_the_byte_limit_is_rejected_without_decoding()
    {
        var png = TestImages.Solid(64, 64, SKColors.Red, SKEncodedImageFormat.Png);
        var options = Options with { Limits = new ImageLimits { MaxFileBytes = 100 } };

        ImageAssert.Rejected(ImageLoader.Load(png, options), ImageRejectionReason.FileTooLarge);
    }

    [Fact]
    public void Gif_too_large_to_decode_whole_is_rejected_with_the_reason()
    {
        var gif = TestImages.Gif(64, 64, [SKColors.Red], (_, _) => 0);
        var options = Options with { Limits = new ImageLimits { MaxDecodePixels = 1_000 } };

        var rejected = ImageAssert.Rejected(ImageLoader.Load(gif, options), ImageRejectionReason.DimensionsTooLarge);

        Assert.Contains("decoded whole", rejected.Message);
    }

    [Theory]
    [InlineData(0, 32, "TargetWidth")]
    [InlineData(32, -1, "TargetHeight")]
    [InlineData(32, 100_000, "TargetHeight")]
    public void Out_of_range_target_is_a_programming_error_naming_the_option(int width, int height, string name)
    {
        var png = TestImages.Solid(16, 16, SKColors.Red, SKEncodedImageFormat.Png);
        var options = new ImageLoadOptions { TargetWidth = width, TargetHeight = height };

        var error = Assert.ThrowsAny<ArgumentException>(() => ImageLoader.Load(png, options));

        Assert.Equal(name, error.ParamName);
    }
}
