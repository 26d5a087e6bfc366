using SkiaSharp;

namespace Pipeline.Images;

/// <summary>
/// Fits an opaque frame (or, for the trimming modes, its content without the margin) to the target
/// size with Skia's high-quality filter (bicubic up, mipmapped down) and returns packed RGB. Skia's CPU raster path is
/// deterministic for the same input on the same build.
/// </summary>
internal static class FrameResizer
{
    /// <summary>
    /// Fits <paramref name="region"/>'s part of <paramref name="source"/> (<see cref="KeptRegion"/>), letterboxed with its
    /// margin colour, which <see cref="ResizeMode.TrimPaperAndPad"/> then reads as the background.
    /// </summary>
    public static RgbImage Resize(RgbaFrame source, (RgbColor Margin, SKRectI Kept) region, ImageLoadOptions options)
    {
        var (margin, kept) = region;
        var content = ContentRect(kept.Width, kept.Height, options);
        using var target = new RgbaFrame(options.TargetWidth, options.TargetHeight);
        if (options.ResizeMode != ResizeMode.Stretch)
        {
            // The letterbox continues the margin that was cut, so the drawing sits on one colour, as it did in its file.
            target.Fill(margin);
        }

        using (var all = source.OpaquePixmap())
        using (var from = all.ExtractSubset(kept))
        using (var whole = target.OpaquePixmap())
        using (var into = whole.ExtractSubset(content))
        {
            if (!from.ScalePixels(into, SKFilterQuality.High))
            {
                throw new InvalidOperationException(
                    $"Skia could not scale {source.Width}x{source.Height} to {content.Width}x{content.Height}.");
            }
        }

        var rgb = DropAlpha(target.Pixels);
        if (options.ResizeMode == ResizeMode.TrimPaperAndPad && margin != options.Background && CutsAMargin(source, kept)
            && PaperWhitening.ReadsAsInkOnPaper(rgb, margin))
        {
            // On the fitted image rather than the decoded one: a cost of the input's size whatever the file's, and the
            // resize has already mixed paper and ink at the edges, as the ramp expects.
            PaperWhitening.ToBackground(rgb, margin, options.Background);
        }

        return new RgbImage(target.Width, target.Height, rgb);
    }

    /// <summary>
    /// The part of <paramref name="source"/> that is fitted (all of it, or for the trimming modes its content without
    /// the margin) and the colour of the margin, which the letterbox continues.
    /// </summary>
    public static (RgbColor Margin, SKRectI Kept) KeptRegion(RgbaFrame source, ImageLoadOptions options)
    {
        var margin = options.ResizeMode.ReadsMarginColor()
            ? MarginColor.Of(source, options.Background)
            : options.Background;
        var kept = options.ResizeMode.TrimsMargin()
            ? ContentBounds.Find(source, margin)
            : new SKRectI(0, 0, source.Width, source.Height);
        return (margin, kept);
    }

    /// <summary>
    /// Whether the margin's colour surrounds the content, so that it can be paper: a uniform border that nothing was cut
    /// from is the drawing's own ground (a coloured button whose transparent corners reach the edges, a filled square),
    /// and reading it as white would erase the drawing.
    /// </summary>
    private static bool CutsAMargin(RgbaFrame source, SKRectI kept) => kept.Width < source.Width || kept.Height < source.Height;

    /// <summary>
    /// Where an image (or the part of it kept) of <paramref name="width"/> x <paramref name="height"/> lands in the
    /// target: all of it when stretching, a centred fit when padding.
    /// </summary>
    public static SKRectI ContentRect(int width, int height, ImageLoadOptions options)
    {
        int targetWidth = options.TargetWidth, targetHeight = options.TargetHeight;
        if (options.ResizeMode == ResizeMode.Stretch)
        {
            return new SKRectI(0, 0, targetWidth, targetHeight);
        }

        double scale = Math.Min((double)targetWidth / width, (double)targetHeight / height);
        int w = Math.Clamp((int)Math.Round(width * scale), 1, targetWidth);
        int h = Math.Clamp((int)Math.Round(height * scale), 1, targetHeight);
        int left = (targetWidth - w) / 2, top = (targetHeight - h) / 2;
        return new SKRectI(left, top, left + w, top + h);
    }

    private static byte[] DropAlpha(ReadOnlySpan<byte> rgba)
    {
        var rgb = new byte[rgba.Length / 4 * 3];
        for (int i = 0, o = 0; i < rgba.Length; i += 4, o += 3)
        {
            rgb[o] = rgba[i];
            rgb[o + 1] = rgba[i + 1];
            rgb[o + 2] = rgba[i + 2];
        }

        return rgb;
    }
}
