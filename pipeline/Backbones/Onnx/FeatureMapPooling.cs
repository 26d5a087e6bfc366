using Pipeline.Backbones.Onnx.Proto;

namespace Pipeline.Backbones.Onnx;

/// <summary>
/// The nodes that reduce a feature map [N, C, H, W] to a feature vector: pooled over the whole map ([N, C]) or over a
/// square grid of cells ([N, C·g·g], channel-major, then row, then column: Flatten of [N, C, g, g]).
/// </summary>
internal static class FeatureMapPooling
{
    /// <param name="poolOperator"><c>GlobalAveragePool</c> or <c>GlobalMaxPool</c>.</param>
    public static string Global(OnnxGraphBuilder graph, string value, string poolOperator, string stem) =>
        Flatten(graph, graph.AddNode(poolOperator, $"{stem}/pooled", [value]), stem);

    /// <summary>
    /// Pools each of the g x g cells of a <paramref name="side"/> x <paramref name="side"/> map with a window whose
    /// kernel equals its stride, so the cells tile the map exactly and none overlap.
    /// </summary>
    /// <param name="poolOperator"><c>AveragePool</c> or <c>MaxPool</c>.</param>
    /// <exception cref="ArgumentException">The grid does not divide the map evenly.</exception>
    public static string Grid(OnnxGraphBuilder graph, string value, string poolOperator, int side, int grid, string stem)
    {
        if (grid <= 0 || side % grid != 0)
        {
            throw new ArgumentException($"A {grid}x{grid} grid does not tile a {side}x{side} feature map evenly.", nameof(grid));
        }

        var cell = side / grid;
        List<AttributeProto> attributes =
        [
            OnnxAttributes.Ints("kernel_shape", cell, cell),
            OnnxAttributes.Ints("strides", cell, cell),
            OnnxAttributes.Ints("pads", 0, 0, 0, 0),
        ];
        return Flatten(graph, graph.AddNode(poolOperator, $"{stem}/pooled", [value], attributes), stem);
    }

    // [N, C, h, w] -> [N, C·h·w].
    private static string Flatten(OnnxGraphBuilder graph, string pooled, string stem) =>
        graph.AddNode("Flatten", stem, [pooled], OnnxAttributes.Int("axis", 1));
}
