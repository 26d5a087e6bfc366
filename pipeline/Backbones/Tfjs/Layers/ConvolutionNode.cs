using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// The part Conv2D and DepthwiseConv2D share: strides, dilation and padding from the config, one ONNX Conv, then the
/// layer's activation.
/// </summary>
internal static class ConvolutionNode
{
    public sealed record Parameters(float[] Weight, long[] WeightDims, ReadOnlyMemory<float>? Bias, int OutputChannels,
        int Groups, int KernelHeight, int KernelWidth);

    public static FeatureMap Emit(KerasLayerConfig config, FeatureMap input, OnnxGraphBuilder graph, Parameters p)
    {
        var layer = config.Layer;
        var (strideH, strideW) = config.Pair("strides", (1, 1));
        var (dilationH, dilationW) = config.Pair("dilation_rate", (1, 1));
        var rows = config.Window(input.Height, p.KernelHeight, strideH, dilationH);
        var columns = config.Window(input.Width, p.KernelWidth, strideW, dilationW);

        List<string> convInputs = [input.Value, graph.AddFloatInitializer($"{layer.Name}/weight", p.WeightDims, p.Weight)];
        if (p.Bias is { } bias)
        {
            if (bias.Length != p.OutputChannels)
            {
                throw new InvalidDataException(
                    $"Layer '{layer.Name}' has {bias.Length} biases for {p.OutputChannels} output channels.");
            }

            convInputs.Add(graph.AddFloatInitializer($"{layer.Name}/bias", [p.OutputChannels], bias.Span));
        }

        var activation = config.String("activation", "linear");
        var convOutput = graph.AddNode("Conv", activation == "linear" ? layer.Name : $"{layer.Name}/preactivation",
            convInputs,
            OnnxAttributes.Ints("kernel_shape", p.KernelHeight, p.KernelWidth),
            OnnxAttributes.Ints("strides", strideH, strideW),
            OnnxAttributes.Ints("dilations", dilationH, dilationW),
            OnnxAttributes.Ints("pads", rows.Begin, columns.Begin, rows.End, columns.End),
            OnnxAttributes.Int("group", p.Groups));
        var output = KerasActivation.Apply(config, activation, convOutput, layer.Name, graph);
        return new FeatureMap(output, p.OutputChannels, rows.Output, columns.Output);
    }
}
