using Pipeline.Features;

namespace Pipeline.Backbones.Onnx;

/// <summary>
/// The two pieces that make a feature extractor f (input [N, 3, S, S] RGB 0-255, output [N, F]) return
/// <c>[f(x), f(outline x)]</c> ([N, 2F]): before the network, the batch of N images followed by their N outlines;
/// after it, each image's features put beside its outline's. The outline is <see cref="ImageStyleViews.Outline"/>
/// computed inside the graph (luma, Sobel magnitude with a zero border, normalised by the image's strongest edge,
/// widened by a maximum, dark lines on white), so the network runs once on a batch of 2N.
/// </summary>
/// <remarks>
/// Only operators whose meaning is the same from opset 7 to 13 are added (Conv, Mul, Sqrt, ReduceMax, Max, MaxPool,
/// Div, Min, Sub, Concat, Reshape, Transpose), so the exported classifier can still bring the graph up to a newer opset.
/// The zero border of the C# outline is a mask multiplied in, not a Pad, whose inputs changed in opset 11.
/// </remarks>
internal static class OutlinePairing
{
    /// <summary>Adds the batch [images; their outlines] ([2N, 3, S, S], RGB 0-255) made from <paramref name="pixels"/>.</summary>
    /// <returns>The name of that batch, for the network to read.</returns>
    public static string AddImagesAndOutlines(OnnxGraphBuilder graph, string pixels, int side)
    {
        // The luma weights act on 0-255 values, so each is divided by 255 to give brightness 0..1.
        var luma = graph.AddFloatInitializer("outline_luma", [1, 3, 1, 1],
            [ImageStyleViews.RedWeight / 255, ImageStyleViews.GreenWeight / 255, ImageStyleViews.BlueWeight / 255]);
        // Sobel x then y, as cross-correlation kernels (ONNX Conv does not flip them).
        var sobel = graph.AddFloatInitializer("outline_sobel", [2, 1, 3, 3],
            [-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1]);
        var border = new float[side * side];
        for (var y = 1; y < side - 1; y++)
        for (var x = 1; x < side - 1; x++)
            border[y * side + x] = 1;

        var brightness = graph.AddNode("Conv", "outline_brightness", [pixels, luma], OnnxAttributes.Ints("kernel_shape", 1, 1));
        var gradients = graph.AddNode("Conv", "outline_gradients", [brightness, sobel],
            OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1));
        var squares = graph.AddNode("Mul", "outline_squares", [gradients, gradients]);
        var summed = graph.AddNode("Conv", "outline_squared_magnitude",
            [squares, graph.AddFloatInitializer("outline_sum", [1, 2, 1, 1], [1, 1])], OnnxAttributes.Ints("kernel_shape", 1, 1));
        var magnitude = graph.AddNode("Mul", "outline_magnitude",
            [graph.AddNode("Sqrt", "outline_magnitude_with_border", [summed]),
             graph.AddFloatInitializer("outline_border", [1, 1, side, side], border)]);
        var strongest = graph.AddNode("ReduceMax", "outline_strongest", [magnitude],
            OnnxAttributes.Ints("axes", 1, 2, 3), OnnxAttributes.Int("keepdims", 1));
        var full = graph.AddNode("Max", "outline_full",
            [graph.AddNode("Mul", "outline_share", [strongest, graph.AddFloatScalar("outline_full_share", ImageStyleViews.FullEdgeShare)]),
             graph.AddFloatScalar("outline_flat", ImageStyleViews.FlatEdge)]);
        var window = 2 * ImageStyleViews.WideningRadius + 1;
        var widened = graph.AddNode("MaxPool", "outline_widened", [magnitude], OnnxAttributes.Ints("kernel_shape", window, window),
            OnnxAttributes.Ints("strides", 1, 1), OnnxAttributes.Ints("pads", Enumerable.Repeat((long)ImageStyleViews.WideningRadius, 4)));
        var one = graph.AddFloatScalar("outline_one", 1);
        var capped = graph.AddNode("Min", "outline_capped", [graph.AddNode("Div", "outline_ratio", [widened, full]), one]);
        var grey = graph.AddNode("Mul", "outline_grey",
            [graph.AddNode("Sub", "outline_lightness", [one, capped]), graph.AddFloatScalar("outline_white", 255)]);
        var outline = graph.AddNode("Concat", "outline", [grey, grey, grey], OnnxAttributes.Int("axis", 1));
        return graph.AddNode("Concat", "images_and_outlines", [pixels, outline], OnnxAttributes.Int("axis", 0));
    }

    /// <summary>
    /// Turns the network's [2N, F] (the images, then their outlines) into <paramref name="output"/> [N, 2F] (each image's
    /// features, then its outline's).
    /// </summary>
    public static void AddSideBySide(OnnxGraphBuilder graph, string features, string output, int featureLength)
    {
        var halves = graph.AddNode("Reshape", "outline_halves",
            [features, graph.AddInt64Initializer("outline_halves_shape", [3], [2, -1, featureLength])]);
        var pairs = graph.AddNode("Transpose", "outline_pairs", [halves], OnnxAttributes.Ints("perm", 1, 0, 2));
        graph.AddNodeWithExactOutput("Reshape", output,
            [pairs, graph.AddInt64Initializer("outline_paired_shape", [2], [-1, 2L * featureLength])]);
    }

    /// <summary>The taps of the paired features: the image's as they are, then the same again for the outline.</summary>
    public static IReadOnlyList<BackboneTap> Slices(IReadOnlyList<BackboneTap> image)
    {
        var length = image.Sum(t => t.Length);
        return [.. image, .. image.Select(t => t with { Layer = $"{t.Layer} (outline)", Offset = length + t.Offset })];
    }
}
