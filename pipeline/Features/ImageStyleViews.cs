namespace Pipeline.Features;

/// <summary>
/// Views that change how an image is drawn rather than where: the grey version, and the outline (dark lines where the
/// brightness changes, on white), the way a line drawing shows the same thing. Both work on the fitted tensor in the
/// backbone's pixel scaling, which may differ per channel, so each pixel is first brought to 0 (black) .. 1 (white)
/// with the scaling's own black and white.
/// </summary>
public static class ImageStyleViews
{
    /// <summary>The style views a model's final fits train on when <c>StyleViews</c> is on, in row order.</summary>
    public static IReadOnlyList<ImageView> All { get; } = [ImageView.Greyscale, ImageView.Outline];

    // Rec. 601 luma weights: what "grey" means for the sRGB images the loader produces. Internal, with the outline's
    // numbers below, for the ONNX copy of the outline (Backbones.Onnx.OutlinePairing), which must draw the same lines.
    internal const float RedWeight = 0.299f, GreenWeight = 0.587f, BlueWeight = 0.114f;

    /// <summary>An edge this share of the image's strongest one is drawn fully black.</summary>
    internal const float FullEdgeShare = 0.5f;

    /// <summary>The weakest edge strength that counts as fully black: below it, an image is flat and outlines blank.</summary>
    internal const float FlatEdge = 0.05f;

    /// <summary>Lines are widened by the maximum over a (2r+1) x (2r+1) window of this radius r.</summary>
    internal const int WideningRadius = 2;

    /// <summary>The pixel's brightness, 0 black .. 1 white, per pixel of the plane.</summary>
    private static float[] Brightness(ReadOnlySpan<float> chw, int plane, ReadOnlySpan<float> white, ReadOnlySpan<float> black)
    {
        var brightness = new float[plane];
        var weights = (Span<float>)[RedWeight, GreenWeight, BlueWeight];
        for (var c = 0; c < 3; c++)
        {
            var range = white[c] - black[c];
            var scale = range == 0 ? 0 : weights[c] / range;
            var channel = chw.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++) brightness[i] += (channel[i] - black[c]) * scale;
        }

        return brightness;
    }

    /// <summary>Writes a 0..1 brightness plane back into every channel.</summary>
    private static void WriteGrey(ReadOnlySpan<float> brightness, Span<float> chw, int plane, ReadOnlySpan<float> white,
        ReadOnlySpan<float> black)
    {
        for (var c = 0; c < 3; c++)
        {
            var channel = chw.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++) channel[i] = black[c] + brightness[i] * (white[c] - black[c]);
        }
    }

    /// <summary>Every channel set to the pixel's brightness.</summary>
    public static void Greyscale(Span<float> chw, int side, ReadOnlySpan<float> white, ReadOnlySpan<float> black)
    {
        var plane = side * side;
        WriteGrey(Brightness(chw, plane, white, black), chw, plane, white, black);
    }

    /// <summary>
    /// Dark lines where the brightness changes, on white: the Sobel gradient magnitude of the brightness, normalised by
    /// the image's own strongest edge (so a faint drawing outlines as clearly as a bold one), then widened by a 5 x 5
    /// maximum so its lines have the stroke of a drawing upscaled to the backbone's input, not of a one-pixel edge.
    /// </summary>
    public static void Outline(Span<float> chw, int side, ReadOnlySpan<float> white, ReadOnlySpan<float> black)
    {
        var plane = side * side;
        var brightness = Brightness(chw, plane, white, black);
        var magnitude = new float[plane];
        var strongest = 0f;
        for (var y = 1; y < side - 1; y++)
        for (var x = 1; x < side - 1; x++)
        {
            var i = y * side + x;
            var gx = brightness[i - side + 1] + 2 * brightness[i + 1] + brightness[i + side + 1]
                     - brightness[i - side - 1] - 2 * brightness[i - 1] - brightness[i + side - 1];
            var gy = brightness[i + side - 1] + 2 * brightness[i + side] + brightness[i + side + 1]
                     - brightness[i - side - 1] - 2 * brightness[i - side] - brightness[i - side + 1];
            magnitude[i] = MathF.Sqrt(gx * gx + gy * gy);
            strongest = Math.Max(strongest, magnitude[i]);
        }

        // A flat image has no outline: it becomes blank white rather than noise scaled up.
        var full = Math.Max(strongest * FullEdgeShare, FlatEdge);
        var widened = MaximumFilter(magnitude, side, WideningRadius);
        for (var i = 0; i < plane; i++) brightness[i] = 1 - Math.Min(1, widened[i] / full);
        WriteGrey(brightness, chw, plane, white, black);
    }

    /// <summary>The maximum over a (2r+1) x (2r+1) window, as two separable passes.</summary>
    private static float[] MaximumFilter(float[] plane, int side, int radius)
    {
        var rows = new float[plane.Length];
        for (var y = 0; y < side; y++)
        for (var x = 0; x < side; x++)
        {
            var m = 0f;
            for (var k = Math.Max(0, x - radius); k <= Math.Min(side - 1, x + radius); k++) m = Math.Max(m, plane[y * side + k]);
            rows[y * side + x] = m;
        }

        var result = new float[plane.Length];
        for (var y = 0; y < side; y++)
        for (var x = 0; x < side; x++)
        {
            var m = 0f;
            for (var k = Math.Max(0, y - radius); k <= Math.Min(side - 1, y + radius); k++) m = Math.Max(m, rows[k * side + x]);
            result[y * side + x] = m;
        }

        return result;
    }
}
