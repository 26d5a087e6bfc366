using System.Runtime.InteropServices;

namespace Pipeline.Images;

/// <summary>
/// The colour of an image's margin for <see cref="ResizeMode.TrimBorderAndPad"/>: the colour of its border (the outermost
/// ring of pixels and a ring a little further in) when nearly all of the border is one colour, otherwise the background
/// transparency was flattened onto (white), as <see cref="ResizeMode.TrimAndPad"/> assumes.
/// </summary>
/// <remarks>
/// Why: a drawing scanned from tinted paper, or an icon exported onto a coloured canvas, has a margin like any other
/// drawing, but not a white one, so the white rule keeps its whole frame and the drawing reaches the backbone small and
/// off-centre. A uniform border is the margin's evidence: a photo's border is never one colour, a drawing that runs
/// off one edge leaves most of the border as it was. A border within the tolerance of white counts as white, so every
/// image that <see cref="ResizeMode.TrimAndPad"/> trims is cut and padded exactly as before.
/// </remarks>
public static class MarginColor
{
    /// <summary>
    /// The share of border pixels that must lie within <see cref="ContentBounds.Tolerance"/> of the border's median
    /// colour for the border to count as a margin: a drawing may touch the edge, or a card's transparent corners show,
    /// on the rest. Set before measuring, not searched.
    /// </summary>
    public const double UniformShare = 0.9;

    /// <summary>
    /// How far in the border is read a second time, as a fraction of the image's shorter side (at least 2 px): as deep
    /// as the border trimming keeps (<see cref="ContentBounds.BorderFraction"/>). A margin is a band, not a line: a
    /// card's or a framed picture's outline is the whole outermost ring, but not the ring this far inside it, and must
    /// not be taken for a margin (a one-ring rule did, on the card decks of docs/BACKBONES.md, "Margins of any colour").
    /// A band narrower than that is not worth cutting, since trimming would put most of it back as the border.
    /// </summary>
    public const double InnerRingFraction = ContentBounds.BorderFraction;

    internal static RgbColor Of(RgbaFrame frame, RgbColor background)
    {
        var border = BorderPixels(frame);
        var median = ChannelMedians(border);
        var within = 0;
        foreach (var pixel in border)
        {
            if (!ContentBounds.Differs(pixel, median)) within++;
        }

        var uniform = within >= UniformShare * border.Length;
        return uniform && ContentBounds.Differs(RgbaFrame.Pack(median), background) ? median : background;
    }

    // The outermost ring and the ring InnerRingFraction further in, each pixel once (only the outer one where the
    // image is too small for two).
    private static uint[] BorderPixels(RgbaFrame frame)
    {
        var pixels = MemoryMarshal.Cast<byte, uint>(frame.Pixels);
        int width = frame.Width, height = frame.Height;
        var inset = Math.Max(2, (int)Math.Round(InnerRingFraction * Math.Min(width, height)));
        var border = new List<uint>(4 * (width + height));
        AddRing(pixels, width, height, 0, border);
        if (2 * inset < Math.Min(width, height)) AddRing(pixels, width, height, inset, border);
        return border.ToArray();
    }

    private static void AddRing(ReadOnlySpan<uint> pixels, int width, int height, int inset, List<uint> ring)
    {
        int left = inset, right = width - 1 - inset, top = inset, bottom = height - 1 - inset;
        ring.AddRange(pixels.Slice(top * width + left, right - left + 1));
        if (bottom > top) ring.AddRange(pixels.Slice(bottom * width + left, right - left + 1));
        for (var y = top + 1; y < bottom; y++)
        {
            ring.Add(pixels[y * width + left]);
            if (right > left) ring.Add(pixels[y * width + right]);
        }
    }

    // The median of each channel on its own: robust to a drawing touching the edge, and cheap (a histogram a channel).
    private static RgbColor ChannelMedians(uint[] border)
    {
        Span<int> counts = stackalloc int[3 * 256];
        foreach (var pixel in border)
        {
            counts[(int)(pixel & 0xFF)]++;
            counts[256 + (int)((pixel >> 8) & 0xFF)]++;
            counts[512 + (int)((pixel >> 16) & 0xFF)]++;
        }

        return new RgbColor(Median(counts[..256], border.Length), Median(counts[256..512], border.Length),
            Median(counts[512..], border.Length));
    }

    private static byte Median(ReadOnlySpan<int> histogram, int total)
    {
        var seen = 0;
        for (var value = 0; value < 256; value++)
        {
            seen += histogram[value];
            if (2 * seen > total) return (byte)value;
        }

        return 255;
    }
}
