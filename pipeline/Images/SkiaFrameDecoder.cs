using SkiaSharp;

namespace Pipeline.Images;

/// <summary>
/// Decodes through Skia's codec, either whole (at full or codec-scaled size) or row by row into a
/// <see cref="BoxReducer"/>. Skia 2.88 only offers row-by-row (scanline) decoding for JPEG and BMP; PNG has
/// <see cref="PngStreamingDecoder"/>, WEBP scales inside libwebp, and GIF can only be decoded whole.
/// </summary>
internal static class SkiaFrameDecoder
{
    /// <summary>Rows fetched per <c>GetScanlines</c> call: amortises the interop cost without a large buffer.</summary>
    private const int RowsPerBatch = 16;

    /// <summary>Decodes the first frame at <paramref name="size"/> (the codec's own size or one it can scale to).</summary>
    public static DecodeOutcome DecodeWhole(SKCodec codec, ImageFormat format, SKSizeI size, RgbColor background)
    {
        var frame = new RgbaFrame(size.Width, size.Height);
        try
        {
            // Zero-initialised pixels: if a GIF's first frame covers only part of the canvas, the rest is transparent.
            frame.Pixels.Clear();
            var result = codec.GetPixels(frame.UnpremulInfo, frame.Address, frame.RowBytes, new SKCodecOptions(0));
            if (result != SKCodecResult.Success)
            {
                frame.Dispose();
                return DecodeOutcome.Corrupt(Describe(format, result));
            }

            if (codec.Info.AlphaType != SKAlphaType.Opaque)
            {
                AlphaFlattener.FlattenInPlace(frame.Pixels, background);
            }

            return DecodeOutcome.Of(frame);
        }
        catch
        {
            frame.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Streams rows at <paramref name="size"/> (the codec's own size or a JPEG scale) and box-averages them by
    /// <paramref name="factor"/>, holding only one batch of rows and one band of sums.
    /// </summary>
    public static DecodeOutcome DecodeByScanlines(
        SKCodec codec, ImageFormat format, SKSizeI size, int factor, RgbColor background, CancellationToken cancellationToken)
    {
        var rowInfo = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var start = codec.StartScanlineDecode(rowInfo);
        if (start != SKCodecResult.Success)
        {
            return DecodeOutcome.Corrupt(Describe(format, start));
        }

        using var batch = new RgbaFrame(size.Width, RowsPerBatch);
        var reducer = new BoxReducer(size.Width, size.Height, factor, background, wholeFrame: false);
        try
        {
            for (int input = 0; input < size.Height; input += RowsPerBatch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int wanted = Math.Min(RowsPerBatch, size.Height - input);
                int decoded = codec.GetScanlines(batch.Address, wanted, batch.RowBytes);
                if (decoded != wanted)
                {
                    reducer.Dispose();
                    return DecodeOutcome.Corrupt($"{format.DisplayName()} is truncated or corrupt: pixel data stops at row {input + decoded} of {size.Height}");
                }

                for (int r = 0; r < wanted; r++)
                {
                    // Bottom-up BMPs deliver their last row first; the codec says where each row belongs.
                    int y = codec.GetOutputScanline(input + r);
                    reducer.AddRow(batch.Pixels.Slice(r * batch.RowBytes, batch.RowBytes), y);
                }
            }

            return DecodeOutcome.Of(reducer.Finish());
        }
        catch
        {
            reducer.Dispose();
            throw;
        }
    }

    private static string Describe(ImageFormat format, SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => $"{format.DisplayName()} is truncated: its pixel data ends early",
        SKCodecResult.ErrorInInput => $"{format.DisplayName()} pixel data is corrupt",
        _ => $"{format.DisplayName()} could not be decoded ({result})",
    };
}
