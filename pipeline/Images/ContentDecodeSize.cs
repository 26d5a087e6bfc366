using SkiaSharp;

namespace Pipeline.Images;

/// <summary>
/// For the trimming modes: the size to decode a codec-scaled image (JPEG, WEBP) at once more, so that its content, not
/// only its whole frame, reaches the final fit with detail to spare. The first decode's scale is chosen from the whole
/// frame, before the margin is known.
/// </summary>
/// <remarks>
/// Why: a drawing that fills a tenth of a scanned page is, at the scale that suits the page, a few dozen pixels, and
/// the fit after trimming would enlarge those to the input size: a blur of the drawing (a 300 px drawing on a
/// 2400 px page reached a 224 px input from 75 px). A second decode costs time, so it is asked for only where the
/// content would otherwise be enlarged; a photo, or a drawing that fills most of its file, is decoded once, as before.
/// </remarks>
internal static class ContentDecodeSize
{
    /// <summary>
    /// The whole frame's size that gives the content <paramref name="headroom"/> decoded pixels per input pixel (at
    /// most the full size), or null when <paramref name="decoded"/> is already at full size or gives the content at
    /// least one pixel per input pixel.
    /// </summary>
    /// <param name="transposed">Whether the EXIF orientation swaps the axes: the fit applies to the upright image.</param>
    public static SKSizeI? Finer(RgbaFrame decoded, SKSizeI full, bool transposed, ImageLoadOptions options, int headroom)
    {
        if (!options.ResizeMode.TrimsMargin() || (decoded.Width >= full.Width && decoded.Height >= full.Height))
        {
            return null;
        }

        var (_, kept) = FrameResizer.KeptRegion(decoded, options);
        int uprightWidth = transposed ? kept.Height : kept.Width, uprightHeight = transposed ? kept.Width : kept.Height;
        var fitted = FrameResizer.ContentRect(uprightWidth, uprightHeight, options);
        double enlargement = Math.Max((double)fitted.Width / uprightWidth, (double)fitted.Height / uprightHeight);
        if (enlargement <= 1)
        {
            return null;
        }

        double factor = headroom * enlargement;
        return new SKSizeI(
            (int)Math.Min(full.Width, Math.Ceiling(decoded.Width * factor)),
            (int)Math.Min(full.Height, Math.Ceiling(decoded.Height * factor)));
    }
}
