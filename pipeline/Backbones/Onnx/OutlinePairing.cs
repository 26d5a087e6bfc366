using Google.Protobuf;
using Pipeline.Backbones.Onnx.Proto;

namespace Pipeline.Backbones.Onnx;

/// <summary>
/// Turns a feature extractor f (input [N, 3, S, S] RGB 0-255, output [N, F]) into one that returns
/// <c>[f(x), f(outline x)]</c> ([N, 2F]): the image's features followed by its outline's, where the outline is
/// <see cref="Features.ImageStyleViews.Outline"/> computed inside the graph (luma, Sobel magnitude with a zero border,
/// normalised by half the image's strongest edge, widened by a 5 x 5 maximum, dark lines on white). The image and its
/// outline run as one batch of 2N through the unchanged network.
/// </summary>
/// <remarks>
/// Only operators whose meaning is the same from opset 7 to 13 are added (Conv, Mul, Sqrt, ReduceMax, Max, MaxPool,
/// Div, Min, Sub, Concat, Reshape, Transpose), so the exported classifier can still bring the graph up to a newer opset.
/// The zero border of the C# outline is a mask multiplied in, not a Pad, whose inputs changed in opset 11.
/// </remarks>
public static class OutlinePairing
{
    // Rec. 601 luma, as ImageStyleViews; the input is RGB 0-255, so each weight is divided by 255.
    private static readonly float[] Luma = [0.299f / 255, 0.587f / 255, 0.114f / 255];

    // Sobel x then y, as cross-correlation kernels (ONNX Conv does not flip them).
    private static readonly float[] Sobel = [-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1];

    /// <summary>Rewires <paramref name="model"/> in place; its input and output keep their names.</summary>
    /// <param name="side">The square input's side S.</param>
    /// <param name="featureLength">F, the length of the network's own feature vector.</param>
    public static void Pair(ModelProto model, string inputName, string outputName, int side, int featureLength)
    {
        var graph = model.Graph;
        const string innerInput = "outline_pairing/network_input", innerOutput = "outline_pairing/network_features";
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++) if (node.Input[i] == inputName) node.Input[i] = innerInput;
            for (var i = 0; i < node.Output.Count; i++) if (node.Output[i] == outputName) node.Output[i] = innerOutput;
        }

        foreach (var stale in graph.ValueInfo.Where(v => v.Name == inputName || v.Name == outputName).ToList())
            graph.ValueInfo.Remove(stale);

        var front = new List<NodeProto>();
        string Constant(string name, long[] dims, params float[] values)
        {
            var tensor = new TensorProto { Name = $"outline_pairing/{name}", DataType = (int)TensorProto.Types.DataType.Float };
            tensor.Dims.AddRange(dims);
            tensor.FloatData.AddRange(values);
            graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        string Shape(string name, params long[] values)
        {
            var tensor = new TensorProto { Name = $"outline_pairing/{name}", DataType = (int)TensorProto.Types.DataType.Int64 };
            tensor.Dims.Add(values.Length);
            tensor.Int64Data.AddRange(values);
            graph.Initializer.Add(tensor);
            return tensor.Name;
        }

        string Add(List<NodeProto> nodes, string op, string output, IEnumerable<string> inputs, params AttributeProto[] attributes)
        {
            var node = new NodeProto { OpType = op, Name = $"outline_pairing/{output}" };
            node.Input.AddRange(inputs);
            node.Output.Add(output.Contains('/') ? output : $"outline_pairing/{output}");
            node.Attribute.AddRange(attributes);
            nodes.Add(node);
            return node.Output[0];
        }

        var border = new float[side * side];
        for (var y = 1; y < side - 1; y++)
        for (var x = 1; x < side - 1; x++)
            border[y * side + x] = 1;

        var brightness = Add(front, "Conv", "brightness", [inputName, Constant("luma", [1, 3, 1, 1], Luma)],
            OnnxAttributes.Ints("kernel_shape", 1, 1));
        var gradients = Add(front, "Conv", "gradients", [brightness, Constant("sobel", [2, 1, 3, 3], Sobel)],
            OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("pads", 1, 1, 1, 1));
        var squares = Add(front, "Mul", "squares", [gradients, gradients]);
        var summed = Add(front, "Conv", "squared_magnitude", [squares, Constant("sum", [1, 2, 1, 1], 1, 1)],
            OnnxAttributes.Ints("kernel_shape", 1, 1));
        var magnitude = Add(front, "Mul", "magnitude",
            [Add(front, "Sqrt", "magnitude_with_border", [summed]), Constant("border", [1, 1, side, side], border)]);
        var strongest = Add(front, "ReduceMax", "strongest", [magnitude],
            OnnxAttributes.Ints("axes", 1, 2, 3), OnnxAttributes.Int("keepdims", 1));
        // A flat image has no outline: it becomes blank white rather than noise scaled up.
        var full = Add(front, "Max", "full",
            [Add(front, "Mul", "half_strongest", [strongest, Constant("half", [], 0.5f)]), Constant("flat", [], 0.05f)]);
        var widened = Add(front, "MaxPool", "widened", [magnitude],
            OnnxAttributes.Ints("kernel_shape", 5, 5), OnnxAttributes.Ints("strides", 1, 1), OnnxAttributes.Ints("pads", 2, 2, 2, 2));
        var one = Constant("one", [], 1f);
        var capped = Add(front, "Min", "capped", [Add(front, "Div", "ratio", [widened, full]), one]);
        var grey = Add(front, "Mul", "grey", [Add(front, "Sub", "lightness", [one, capped]), Constant("white", [], 255f)]);
        var outline = Add(front, "Concat", "outline", [grey, grey, grey], OnnxAttributes.Int("axis", 1));
        Add(front, "Concat", innerInput, [inputName, outline], OnnxAttributes.Int("axis", 0));
        for (var i = front.Count - 1; i >= 0; i--) graph.Node.Insert(0, front[i]);

        // [2N, F] (the images, then their outlines) to [N, 2F] (each image's features, then its outline's).
        var back = new List<NodeProto>();
        var halves = Add(back, "Reshape", "halves", [innerOutput, Shape("halves_shape", 2, -1, featureLength)]);
        var pairs = Add(back, "Transpose", "pairs", [halves], OnnxAttributes.Ints("perm", 1, 0, 2));
        Add(back, "Reshape", "paired", [pairs, Shape("paired_shape", -1, 2L * featureLength)]);
        back[^1].Output[0] = outputName;
        graph.Node.AddRange(back);

        var output = graph.Output.Single(o => o.Name == outputName);
        var dims = output.Type?.TensorType?.Shape?.Dim;
        if (dims is { Count: 2 }) dims[1] = new TensorShapeProto.Types.Dimension { DimValue = 2L * featureLength };
    }
}
