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

    /// <summary>Moves the paper's colour in packed RGB <paramref name="rgb"/> to <paramref name="background"/>, in place.</summary>
    internal static void ToBackground(Span<byte> rgb, RgbColor paper, RgbColor background)
    {
        int shiftR = background.R - paper.R, shiftG = background.G - paper.G, shiftB = background.B - paper.B;
        for (var i = 0; i + 2 < rgb.Length; i += 3)
        {
            var distance = Math.Max(Math.Abs(rgb[i] - paper.R),
                Math.Max(Math.Abs(rgb[i + 1] - paper.G), Math.Abs(rgb[i + 2] - paper.B)));
            if (distance >= EdgeReach) continue;

            var share = distance <= ContentBounds.Tolerance
                ? 1.0
                : (EdgeReach - distance) / (double)(EdgeReach - ContentBounds.Tolerance);
            rgb[i] = Moved(rgb[i], share * shiftR);
            rgb[i + 1] = Moved(rgb[i + 1], share * shiftG);
            rgb[i + 2] = Moved(rgb[i + 2], share * shiftB);
        }
    }

    private static byte Moved(byte value, double shift) => (byte)Math.Clamp((int)Math.Round(value + shift), 0, 255);
}
