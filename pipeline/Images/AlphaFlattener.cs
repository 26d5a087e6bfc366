namespace Pipeline.Images;

/// <summary>
/// Composites straight-alpha RGBA onto an opaque background. Done before any resampling so that the colour hidden
/// under fully transparent pixels (often black or random) never bleeds into the result.
/// </summary>
internal static class AlphaFlattener
{
    /// <summary>Replaces every pixel of <paramref name="rgba"/> by its composite over the background; alpha becomes 255.</summary>
    public static void FlattenInPlace(Span<byte> rgba, RgbColor background)
    {
        int br = background.R, bg = background.G, bb = background.B;
        for (int i = 0; i + 3 < rgba.Length; i += 4)
        {
            int a = rgba[i + 3];
            if (a == 255)
            {
                continue;
            }

            int inv = 255 - a;
            rgba[i] = Blend(rgba[i], br, a, inv);
            rgba[i + 1] = Blend(rgba[i + 1], bg, a, inv);
            rgba[i + 2] = Blend(rgba[i + 2], bb, a, inv);
            rgba[i + 3] = 255;
        }
    }

    /// <summary>Rounded (c·a + b·(255−a)) / 255, exact for all 8-bit inputs.</summary>
    public static byte Blend(int colour, int background, int alpha, int inverseAlpha)
    {
        int v = colour * alpha + background * inverseAlpha + 128;
        return (byte)((v + (v >> 8)) >> 8);
    }
}
