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
    /// most the full size), or null when the frame was decoded at full size or gives the content at least one pixel per
    /// input pixel. <paramref name="kept"/> is the content's box in the upright frame (<see cref="FrameResizer.KeptRegion"/>);
    /// the sizes are as stored, which a quarter turn does not matter to, since the scale is the same along both axes.
    /// </summary>
    public static SKSizeI? Finer(SKSizeI decoded, SKSizeI full, SKRectI kept, ImageLoadOptions options, int headroom)
    {
        if (!options.ResizeMode.TrimsMargin() || (decoded.Width >= full.Width && decoded.Height >= full.Height))
        {
            return null;
        }

        var fitted = FrameResizer.ContentRect(kept.Width, kept.Height, options);
        double enlargement = Math.Max((double)fitted.Width / kept.Width, (double)fitted.Height / kept.Height);
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
