using System.Diagnostics;
using System.IO.Compression;
using Pipeline.Images;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace Pipeline.Tests.Images;

[Trait("Kind", "Unit")]
public class LargeImageTests(ITestOutputHelper output)
{
    private const string OpenClipart = "/usr/share/openclipart/png";

    [Fact]
    public void Largest_real_png_loads_within_bounded_memory()
    {
        // Debian's openclipart-png holds 20990x29700 PNGs (623 MP: 2.5 GB if decoded whole). Without the package,
        // a generated 16000x16000 PNG (256 MP) stands in: same path, same bound.
        (string name, byte[] png) = LargestOpenClipartPng() ?? ("generated 16000x16000", GeneratedHugePng(16_000, 16_000));
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();

        var loaded = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(224)));

        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        output.WriteLine($"{name}: {loaded.OriginalWidth}x{loaded.OriginalHeight} in {clock.ElapsedMilliseconds} ms, " +
                         $"{allocated / 1e6:F0} MB allocated, process peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
        Assert.True((long)loaded.OriginalWidth * loaded.OriginalHeight > ImageLimits.Default.MaxDecodePixels * 10);
        // The reduced frame is at most 16 MP x 4 bytes; everything else is rows. 2.5 GB would be the naive cost.
        Assert.True(allocated < 200_000_000, $"allocated {allocated / 1e6:F0} MB");
        Assert.Equal((224, 224), (loaded.Image.Width, loaded.Image.Height));
    }

    [Fact]
    public void Large_jpeg_is_decoded_at_a_reduced_scale_inside_the_codec()
    {
        using var bitmap = TestImages.Bitmap(2400, 1600, (x, _) => x < 1200 ? SKColors.Orange : SKColors.Navy);
        var jpeg = TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var loaded = ImageAssert.Loaded(ImageLoader.Load(jpeg, ImageLoadOptions.Square(64)));

        // An eighth-scale decode (300x200) costs a fraction of the 15 MB a whole decode would.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000);
        ImageAssert.Near(new RgbColor(255, 165, 0), loaded.Image[5, 32], 6);
        ImageAssert.Near(new RgbColor(0, 0, 128), loaded.Image[58, 32], 6);
    }

    [Fact]
    public void Jpeg_beyond_even_an_eighth_of_the_budget_is_streamed_by_scanlines()
    {
        using var bitmap = TestImages.Bitmap(800, 600, (_, y) => y < 300 ? SKColors.Orange : SKColors.Navy);
        var jpeg = TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg);
        var tight = ImageLoadOptions.Square(32) with { Limits = new ImageLimits { MaxDecodePixels = 1_000 } };

        var loaded = ImageAssert.Loaded(ImageLoader.Load(jpeg, tight));

        ImageAssert.Near(new RgbColor(255, 165, 0), loaded.Image[16, 3], 8);
        ImageAssert.Near(new RgbColor(0, 0, 128), loaded.Image[16, 28], 8);
    }

    [Fact]
    public void Bmp_over_the_budget_is_streamed_by_scanlines_and_stays_upright()
    {
        var bmp = TestImages.Bmp(300, 200, (x, y) => y < 100 ? SKColors.Red : x < 150 ? SKColors.Lime : SKColors.Blue);
        var tight = ImageLoadOptions.Square(30) with { Limits = new ImageLimits { MaxDecodePixels = 5_000 } };

        var image = ImageAssert.Loaded(ImageLoader.Load(bmp, tight)).Image;

        ImageAssert.Near(new RgbColor(255, 0, 0), image[15, 3], 2);
        ImageAssert.Near(new RgbColor(0, 255, 0), image[3, 27], 2);
        ImageAssert.Near(new RgbColor(0, 0, 255), image[27, 27], 2);
    }

    [Fact]
    public void Large_webp_is_scaled_inside_the_codec()
    {
        using var bitmap = TestImages.Bitmap(2000, 1000, (x, _) => x < 1000 ? SKColors.Orange : SKColors.Navy);
        var webp = TestImages.Encode(bitmap, SKEncodedImageFormat.Webp);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var loaded = ImageAssert.Loaded(ImageLoader.Load(webp, ImageLoadOptions.Square(50)));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000);
        ImageAssert.Near(new RgbColor(255, 165, 0), loaded.Image[5, 25], 6);
        ImageAssert.Near(new RgbColor(0, 0, 128), loaded.Image[45, 25], 6);
    }

    private static (string, byte[])? LargestOpenClipartPng()
    {
        if (!Directory.Exists(OpenClipart))
        {
            return null;
        }

        // Largest by pixels, read from IHDR (bytes 16..23), not by file size: big flat clipart compresses well.
        string? best = null;
        long bestPixels = 0;
        Span<byte> header = stackalloc byte[24];
        foreach (var path in Directory.EnumerateFiles(OpenClipart, "*.png", SearchOption.AllDirectories))
        {
            using var file = File.OpenRead(path);
            if (file.ReadAtLeast(header, 24, throwOnEndOfStream: false) < 24)
            {
                continue;
            }

            long pixels = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[16..])
                          * System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[20..]);
            if (pixels > bestPixels)
            {
                (best, bestPixels) = (path, pixels);
            }
        }

        return best is null ? null : (Path.GetFileName(best), File.ReadAllBytes(best));
    }

    private static byte[] GeneratedHugePng(int width, int height) =>
        PngBuilder.Build(width, height, PngKind.Rgba8,
            (x, y) => x > width / 4 && x < width / 2 && y > height / 4 ? SKColors.Red : SKColors.Transparent,
            idatChunkSize: 1 << 20, level: CompressionLevel.Fastest);
}
