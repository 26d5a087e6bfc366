namespace Pipeline.Images;

/// <summary>
/// Reads the tinted paper of <see cref="ResizeMode.TrimPaperAndPad"/> as the background (white): a pixel within
/// <see cref="ContentBounds.Tolerance"/> of the paper's colour becomes the background, a pixel a little further away
/// (an anti-aliased edge, a mix of paper and ink) moves towards it in proportion, and a pixel further than
/// <see cref="EdgeReach"/> is content and keeps its colour.
/// </summary>
/// <remarks>
/// Why: cutting a tinted margin (<see cref="MarginColor"/>) puts a drawing on tinted paper at the size a white one has,
/// but the paper between its lines still shows, and no training image need show it. On the line drawings of
/// docs/BACKBONES.md drawn onto coloured paper, the paper's colour alone cost 0.036 of macro accuracy after the
/// margin was cut ("Margins of any colour"); read as white, they score as on white ("The paper read as white").
/// The colour is moved, not divided out: dividing (a white balance) is right for a print whose inks the paper shows
/// through, but recolours every opaque colour of an icon on a coloured canvas, and read lower (within noise) on the
/// colour proxies there.
/// </remarks>
public static class PaperWhitening
{
    /// <summary>
    /// How far (0-255, in the channel furthest from the paper) a pixel is moved towards the background at all: three
    /// times the tolerance within which it is paper, a ramp as wide as the anti-aliasing of a drawn edge. Set before
    /// measuring, not searched (the other reaches measured are in docs/BACKBONES.md, all within noise of it).
    /// </summary>
    public const int EdgeReach = 3 * ContentBounds.Tolerance;

    /// <summary>
    /// Whether packed RGB <paramref name="rgb"/> reads as ink on paper of colour <paramref name="paper"/>: at least half
    /// of what is not paper (the pixels further than <see cref="ContentBounds.Tolerance"/> from it, as trimming tells
    /// content from margin) is darker than the paper.
    /// </summary>
    /// <remarks>
    /// A uniform colour cut round the content is not always paper. A white glyph on a coloured square (an app icon, a
    /// sign), chalk on a blackboard, a photo in a black frame: there the colour is the drawing's ground, and reading it
    /// as white would blank the glyph or turn every shadow white. Ink on paper is darker than the paper, and those
    /// grounds are darker than what is drawn on them. Half was set before measuring, not searched.
    /// </remarks>
    internal static bool ReadsAsInkOnPaper(ReadOnlySpan<byte> rgb, RgbColor paper)
    {
        var paperLuma = 299 * paper.R + 587 * paper.G + 114 * paper.B;
        int content = 0, lighter = 0;
        for (var i = 0; i + 2 < rgb.Length; i += 3)
        {
            if (Distance(rgb, i, paper) <= ContentBounds.Tolerance) continue;
            content++;
            if (Luma(rgb, i) > paperLuma) lighter++;
        }

        return 2 * lighter <= content;
    }

    /// <summary>Moves the paper's colour in packed RGB <paramref name="rgb"/> to <paramref name="background"/>, in place.</summary>
    internal static void ToBackground(Span<byte> rgb, RgbColor paper, RgbColor background)
    {
        int shiftR = background.R - paper.R, shiftG = background.G - paper.G, shiftB = background.B - paper.B;
        for (var i = 0; i + 2 < rgb.Length; i += 3)
        {
            var distance = Distance(rgb, i, paper);
            if (distance >= EdgeReach) continue;

            var share = distance <= ContentBounds.Tolerance
                ? 1.0
                : (EdgeReach - distance) / (double)(EdgeReach - ContentBounds.Tolerance);
            rgb[i] = Moved(rgb[i], share * shiftR);
            rgb[i + 1] = Moved(rgb[i + 1], share * shiftG);
            rgb[i + 2] = Moved(rgb[i + 2], share * shiftB);
        }
    }

    // Chebyshev: the channel furthest from the colour, as trimming measures a margin.
    private static int Distance(ReadOnlySpan<byte> rgb, int i, RgbColor color) =>
        Math.Max(Math.Abs(rgb[i] - color.R), Math.Max(Math.Abs(rgb[i + 1] - color.G), Math.Abs(rgb[i + 2] - color.B)));

    // Rec. 601 luma, times 1000: how light a colour looks, green counting most.
    private static int Luma(ReadOnlySpan<byte> rgb, int i) => 299 * rgb[i] + 587 * rgb[i + 1] + 114 * rgb[i + 2];

    private static byte Moved(byte value, double shift) => (byte)Math.Clamp((int)Math.Round(value + shift), 0, 255);
}
