using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// Keras MaxPooling2D and AveragePooling2D. With "same" padding TensorFlow's average ignores the padded cells, hence
/// count_include_pad=0; ONNX MaxPool never lets padding win a maximum.
/// </summary>
internal sealed class PoolingLowering(bool average) : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        config.RequireChannelsLast();
        var input = config.SingleInput(inputs);
        var (poolH, poolW) = config.Pair("pool_size", (2, 2));
        // Keras' default stride is the pool size.
        var (strideH, strideW) = config.Pair("strides", (poolH, poolW));
        var rows = config.Window(input.Height, poolH, strideH);
        var columns = config.Window(input.Width, poolW, strideW);

        List<Onnx.Proto.AttributeProto> attributes =
        [
            OnnxAttributes.Ints("kernel_shape", poolH, poolW),
            OnnxAttributes.Ints("strides", strideH, strideW),
            OnnxAttributes.Ints("pads", rows.Begin, columns.Begin, rows.End, columns.End),
        ];
        if (average)
        {
            attributes.Add(OnnxAttributes.Int("count_include_pad", 0));
        }

        var output = context.Graph.AddNode(average ? "AveragePool" : "MaxPool", config.Layer.Name, [input.Value],
            attributes);
        return new FeatureMap(output, input.Channels, rows.Output, columns.Output);
    }
}
