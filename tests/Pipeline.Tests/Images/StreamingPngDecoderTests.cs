using Pipeline.Images;
using Pipeline.Images.Png;
using SkiaSharp;
using Xunit;

namespace Pipeline.Tests.Images;

/// <summary>
/// The streaming PNG path must give exactly what decoding the whole image with Skia and box-averaging it gives.
/// Small images with a tiny budget exercise it cheaply.
/// </summary>
[Trait("Kind", "Unit")]
public class StreamingPngDecoderTests
{
    private static SKColor Pattern(int x, int y) =>
        new((byte)(x * 9 + y), (byte)(y * 5 ^ x), (byte)(x * y), (byte)((x * 3 + y * 11) % 256));

    [Theory]
    [InlineData(PngKind.Rgba8, false)]
    [InlineData(PngKind.Rgb8, false)]
    [InlineData(PngKind.RgbWithTransparentBlack8, false)]
    [InlineData(PngKind.Grey8, false)]
    [InlineData(PngKind.GreyAlpha8, false)]
    [InlineData(PngKind.Grey1, false)]
    [InlineData(PngKind.Rgba16, false)]
    [InlineData(PngKind.Palette8, false)]
    [InlineData(PngKind.Palette4, false)]
    [InlineData(PngKind.Rgba8, true)]
    [InlineData(PngKind.Palette4, true)]
    [InlineData(PngKind.Grey1, true)]
    public void Streamed_png_equals_the_whole_image_box_averaged(PngKind kind, bool interlaced)
    {
        // Odd sizes leave partial blocks at the right and bottom and partial Adam7 passes.
        var png = PngBuilder.Build(61, 37, kind, Pattern, interlaced, idatChunkSize: 97);
        long budget = 200;
        int factor = BoxReducer.FactorFor(61, 37, interlaced ? budget / 3 : budget);
        var background = new RgbColor(250, 240, 10);

        using var data = SKData.CreateCopy(png);
        var outcome = PngStreamingDecoder.Decode(data, budget, background, CancellationToken.None);

        Assert.Null(outcome.Rejection);
        using var frame = outcome.Frame!;
        var expected = ReferenceReducer.Reduce(png, factor, background, out int width, out int height);
        Assert.Equal((width, height), (frame.Width, frame.Height));
        int tolerance = kind == PngKind.Rgba16 ? 1 : 0; // Skia rounds 16-bit samples, we keep the high byte
        var actual = frame.Pixels.ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"byte {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void Real_clipart_of_every_colour_type_and_bit_depth_streams_like_the_whole_decode()
    {
        // Debian's openclipart-png has palette images at 1, 2, 4 and 8 bits, grey, grey+alpha, RGB and RGBA:
        // real encoders' output, beyond what PngBuilder writes. The generated cases above cover the same code when
        // the package is absent.
        const string root = "/usr/share/openclipart/png";
        if (!Directory.Exists(root))
        {
            return;
        }

        var samples = Directory.EnumerateFiles(root, "*.png", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Header: ReadHeader(path)))
            .Where(f => f.Header.Length == 33 && (long)f.Header.Width() * f.Header.Height() < 400_000)
            .GroupBy(f => (Depth: f.Header[24], ColourType: f.Header[25]))
            .SelectMany(g => g.Take(2))
            .ToList();
        Assert.True(samples.Select(s => (s.Header[24], s.Header[25])).Distinct().Count() >= 5);

        foreach (var (path, header) in samples)
        {
            var bytes = File.ReadAllBytes(path);
            int width = header.Width(), height = header.Height();
            var background = RgbColor.White;
            int factor = BoxReducer.FactorFor(width, height, 5_000);
            using var data = SKData.CreateCopy(bytes);
            var outcome = PngStreamingDecoder.Decode(data, 5_000, background, CancellationToken.None);
            Assert.True(outcome.Rejection is null, $"{path}: {outcome.Rejection}");
            using var frame = outcome.Frame!;
            var expected = ReferenceReducer.Reduce(bytes, factor, background, out _, out _);
            Assert.True(expected.AsSpan().SequenceEqual(frame.Pixels), $"{path} differs from the whole decode");
        }
    }

    [Fact]
    public void Png_over_the_budget_loads_through_the_streaming_path_like_the_whole_decode()
    {
        // Smooth content: on noise, two different resampling chains legitimately disagree.
        var png = PngBuilder.Build(400, 300, PngKind.Rgba8, (x, y) => new SKColor((byte)(x * 255 / 400), (byte)(y * 255 / 300), 90, (byte)(255 - y / 2)));
        var whole = ImageAssert.Loaded(ImageLoader.Load(png, ImageLoadOptions.Square(40))).Image;
        var tight = ImageLoadOptions.Square(40) with { Limits = new ImageLimits { MaxDecodePixels = 20_000 } };

        var streamed = ImageAssert.Loaded(ImageLoader.Load(png, tight)).Image;

        // Different resampling chains (box by 4 then Skia, or Skia alone) agree closely, not exactly.
        double meanError = whole.Pixels.Zip(streamed.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanError < 2, $"mean absolute difference {meanError:F2}");
    }

    [Fact]
    public void Truncated_png_over_the_budget_is_corrupt_with_the_row_it_stopped_at()
    {
        var png = PngBuilder.Build(300, 300, PngKind.Rgb8, Pattern, level: System.IO.Compression.CompressionLevel.NoCompression);
        var tight = ImageLoadOptions.Square(32) with { Limits = new ImageLimits { MaxDecodePixels = 10_000 } };

        var rejected = ImageAssert.Rejected(ImageLoader.Load(png[..(png.Length / 2)], tight), ImageRejectionReason.Corrupt);

        Assert.StartsWith("PNG is truncated: image data ends at row ", rejected.Message);
    }

    [Fact]
    public void Streaming_a_png_can_be_cancelled()
    {
        var png = PngBuilder.Build(300, 300, PngKind.Rgb8, Pattern);
        var tight = ImageLoadOptions.Square(32) with { Limits = new ImageLimits { MaxDecodePixels = 10_000 } };
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ImageLoader.Load(png, tight, cancelled.Token));
    }

    private static byte[] ReadHeader(string path)
    {
        var header = new byte[33];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length ? header : [];
    }
}

file static class PngHeaderBytes
{
    public static int Width(this byte[] header) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(16));

    public static int Height(this byte[] header) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(20));
}
