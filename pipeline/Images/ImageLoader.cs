using System.Globalization;
using Pipeline.Images.Png;
using SkiaSharp;

namespace Pipeline.Images;

/// <summary>
/// Turns encoded image bytes into RGB pixels at a target size, or says why it cannot. Stateless and thread-safe:
/// every call owns its Skia objects and buffers.
/// </summary>
/// <remarks>
/// Order of work: cheap checks on the bytes, the header (via Skia's codec, which allocates no pixels), the limits,
/// then one decoding strategy chosen so that no more than <see cref="ImageLimits.MaxDecodePixels"/> pixels are held:
/// JPEG and WEBP decode at a reduced scale inside their codecs; PNG and BMP beyond the budget stream rows through a
/// box filter; GIF can only be decoded whole and is rejected beyond the budget. Transparency is composited onto the
/// background before any resampling, and EXIF orientation is applied before the final resize.
/// </remarks>
public static class ImageLoader
{
    /// <summary>
    /// JPEG and WEBP are decoded at the smallest codec scale that still has this many pixels per target pixel
    /// along each axis, so the final high-quality resize has real detail to work with.
    /// </summary>
    private const int CodecScaleHeadroom = 2;

    public static ImageLoadResult Load(byte[] encoded, ImageLoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        return Load(encoded.AsSpan(), options, cancellationToken);
    }

    /// <summary>Decodes <paramref name="encoded"/>, flattens transparency and resizes to the target.</summary>
    /// <exception cref="ArgumentException">The options are out of range (a configuration bug).</exception>
    /// <exception cref="OperationCanceledException">Cancelled while streaming a large image.</exception>
    public static ImageLoadResult Load(ReadOnlySpan<byte> encoded, ImageLoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ImageLimits limits = options.Limits;

        if (encoded.IsEmpty)
        {
            return Reject(ImageRejectionReason.Empty, "file is empty");
        }

        if (encoded.Length > limits.MaxFileBytes)
        {
            return Reject(ImageRejectionReason.FileTooLarge, FileTooLargeMessage(encoded.Length, limits));
        }

        if (ImageSignature.Detect(encoded) is not { } format)
        {
            return Reject(ImageRejectionReason.NotAnImage, "not a supported image (JPEG, PNG, BMP, GIF or WEBP)");
        }

        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            return Reject(ImageRejectionReason.Corrupt, $"{format.DisplayName()} header is unreadable or truncated");
        }

        int width = codec.Info.Width, height = codec.Info.Height;
        if (CheckDimensions(format, width, height, limits) is { } rejected)
        {
            return rejected;
        }

        var outcome = Decode(format, codec, data, encoded, options, cancellationToken);
        if (outcome.Rejection is { } rejection)
        {
            return rejection;
        }

        var decodedSize = new SKSizeI(outcome.Frame!.Width, outcome.Frame.Height);
        var upright = ExifOrientation.Apply(outcome.Frame, codec.EncodedOrigin);
        try
        {
            var region = FrameResizer.KeptRegion(upright, options);
            if (format is ImageFormat.Jpeg or ImageFormat.Webp
                && FinerSizeForContent(format, codec, decodedSize, region.Kept, options) is { } finer)
            {
                // The budget bounds what is held at once: the coarse frame goes before the finer one is decoded.
                upright.Dispose();
                var again = SkiaFrameDecoder.DecodeWhole(codec, format, finer, options.Background);
                if (again.Rejection is { } corrupt)
                {
                    return corrupt;
                }

                upright = ExifOrientation.Apply(again.Frame!, codec.EncodedOrigin);
                region = FrameResizer.KeptRegion(upright, options);
            }

            return ImageLoadResult.Loaded(FrameResizer.Resize(upright, region, options), format, width, height);
        }
        finally
        {
            upright.Dispose();
        }
    }

    /// <summary>The <see cref="ImageRejectionReason.FileTooLarge"/> message, for callers that check a file's length before reading it.</summary>
    internal static string FileTooLargeMessage(long bytes, ImageLimits limits) =>
        $"file is {Megabytes(bytes)}, above the {Megabytes(limits.MaxFileBytes)} limit";

    private static ImageLoadResult? CheckDimensions(ImageFormat format, int width, int height, ImageLimits limits)
    {
        string name = format.DisplayName();
        long pixels = (long)width * height;
        if (width > limits.MaxSide || height > limits.MaxSide)
        {
            return Reject(ImageRejectionReason.DimensionsTooLarge,
                $"{name} is {width}x{height}, above the {limits.MaxSide}-pixel limit per side");
        }

        if (pixels > limits.MaxPixels)
        {
            return Reject(ImageRejectionReason.DimensionsTooLarge,
                $"{name} is {width}x{height} = {Megapixels(pixels)} MP, above the {Megapixels(limits.MaxPixels)} MP limit");
        }

        if (width < limits.MinSide || height < limits.MinSide)
        {
            return Reject(ImageRejectionReason.TooSmall,
                $"{name} is {width}x{height}, below the {limits.MinSide}-pixel minimum per side");
        }

        return null;
    }

    private static DecodeOutcome Decode(
        ImageFormat format, SKCodec codec, SKData data, ReadOnlySpan<byte> encoded, ImageLoadOptions options,
        CancellationToken cancellationToken)
    {
        long budget = options.Limits.MaxDecodePixels;
        var size = codec.Info.Size;
        long pixels = (long)size.Width * size.Height;
        var background = options.Background;
        switch (format)
        {
            case ImageFormat.Jpeg:
                return DecodeJpeg(codec, encoded, options, cancellationToken);
            case ImageFormat.Webp:
                return SkiaFrameDecoder.DecodeWhole(codec, format, WebpScale(codec, HeadroomOverTarget(size, options), budget), background);
            case ImageFormat.Png when pixels > budget:
                return PngStreamingDecoder.Decode(data, budget, background, cancellationToken);
            case ImageFormat.Bmp when pixels > budget:
                int factor = BoxReducer.FactorFor(size.Width, size.Height, budget);
                return SkiaFrameDecoder.DecodeByScanlines(codec, format, size, factor, background, cancellationToken);
            case ImageFormat.Gif when pixels > budget:
                return DecodeOutcome.TooLarge(
                    $"GIF is {size.Width}x{size.Height} = {Megapixels(pixels)} MP; GIF can only be decoded whole, " +
                    $"which is limited to {Megapixels(budget)} MP");
            default:
                return SkiaFrameDecoder.DecodeWhole(codec, format, size, background);
        }
    }

    private static DecodeOutcome DecodeJpeg(SKCodec codec, ReadOnlySpan<byte> encoded, ImageLoadOptions options, CancellationToken cancellationToken)
    {
        long budget = options.Limits.MaxDecodePixels;
        var full = codec.Info.Size;
        long pixels = (long)full.Width * full.Height;

        // Progressive JPEGs hold every DCT coefficient of the image while decoding, whatever the output scale.
        if (pixels > 2 * budget && JpegFrameHeader.IsProgressive(encoded))
        {
            return DecodeOutcome.TooLarge(
                $"progressive JPEG is {full.Width}x{full.Height} = {Megapixels(pixels)} MP; progressive JPEGs are " +
                $"limited to {Megapixels(2 * budget)} MP because they are decoded whole");
        }

        var chosen = JpegScale(codec, HeadroomOverTarget(full, options), budget);
        if ((long)chosen.Width * chosen.Height <= budget)
        {
            return SkiaFrameDecoder.DecodeWhole(codec, ImageFormat.Jpeg, chosen, options.Background);
        }

        // Even an eighth is too big (only when the limits allow gigapixel images): stream the eighth scale.
        int factor = BoxReducer.FactorFor(chosen.Width, chosen.Height, budget);
        return SkiaFrameDecoder.DecodeByScanlines(codec, ImageFormat.Jpeg, chosen, factor, options.Background, cancellationToken);
    }

    /// <summary>
    /// The trimming modes fit the content, not the whole frame, which the first decode's scale was chosen for: where the
    /// content would be enlarged, the size to decode the image at again so that it suits the content, within the budget
    /// (<see cref="ContentDecodeSize"/>); null where the frame at hand will do or no finer decode fits the budget.
    /// </summary>
    private static SKSizeI? FinerSizeForContent(
        ImageFormat format, SKCodec codec, SKSizeI decoded, SKRectI kept, ImageLoadOptions options)
    {
        if (ContentDecodeSize.Finer(decoded, codec.Info.Size, kept, options, CodecScaleHeadroom) is not { } wanted)
        {
            return null;
        }

        long budget = options.Limits.MaxDecodePixels;
        var size = format == ImageFormat.Jpeg ? JpegScale(codec, wanted, budget) : WebpScale(codec, wanted, budget);
        return size.Width > decoded.Width && (long)size.Width * size.Height <= budget ? size : null;
    }

    /// <summary>The whole image's size that gives the target <see cref="CodecScaleHeadroom"/> pixels per pixel along each axis.</summary>
    private static SKSizeI HeadroomOverTarget(SKSizeI full, ImageLoadOptions options)
    {
        var content = FrameResizer.ContentRect(full.Width, full.Height, options);
        return new SKSizeI(CodecScaleHeadroom * content.Width, CodecScaleHeadroom * content.Height);
    }

    /// <summary>
    /// libjpeg scales by n/8 inside the IDCT, which is both faster and gentler on memory than decoding whole: the
    /// smallest eighth at least <paramref name="wanted"/> (or the full size), then smaller until within the budget if it
    /// is not; above the budget only when even an eighth is.
    /// </summary>
    private static SKSizeI JpegScale(SKCodec codec, SKSizeI wanted, long budget)
    {
        var full = codec.Info.Size;
        SKSizeI chosen = full;
        for (int eighths = 1; eighths <= 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (scaled.Width >= Math.Min(full.Width, wanted.Width) && scaled.Height >= Math.Min(full.Height, wanted.Height))
            {
                chosen = scaled;
                break;
            }
        }

        for (int eighths = 8; (long)chosen.Width * chosen.Height > budget && eighths >= 1; eighths--)
        {
            chosen = codec.GetScaledDimensions(eighths / 8f);
        }

        return chosen;
    }

    /// <summary>libwebp rescales to any size while decoding: ask for <paramref name="wanted"/>, within the budget.</summary>
    private static SKSizeI WebpScale(SKCodec codec, SKSizeI wanted, long budget)
    {
        var full = codec.Info.Size;
        double scale = Math.Max((double)wanted.Width / full.Width, (double)wanted.Height / full.Height);
        double affordable = Math.Sqrt((double)budget / ((double)full.Width * full.Height));
        scale = Math.Min(1, Math.Min(scale, affordable));
        if (scale >= 1)
        {
            return full;
        }

        var scaled = codec.GetScaledDimensions((float)scale);
        return scaled.Width > 0 && scaled.Height > 0 ? scaled : full;
    }

    private static ImageLoadResult Reject(ImageRejectionReason reason, string message) => ImageLoadResult.Rejected(reason, message);

    private static string Megapixels(long pixels) => (pixels / 1e6).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.0 MB", CultureInfo.InvariantCulture);
}
