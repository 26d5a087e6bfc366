namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// Keras DepthwiseConv2D: a grouped convolution with one group per input channel. Its kernel [kh, kw, C, multiplier]
/// becomes an ONNX weight [C * multiplier, 1, kh, kw], output channel c * multiplier + m, the order TensorFlow uses.
/// </summary>
internal sealed class DepthwiseConv2DLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        config.RequireChannelsLast();
        var input = config.SingleInput(inputs);
        var layer = config.Layer;
        var kernel = context.Weight(layer, "depthwise_kernel", rank: 4);
        var (kh, kw, channels, multiplier) = (kernel.Shape[0], kernel.Shape[1], kernel.Shape[2], kernel.Shape[3]);
        if (channels != input.Channels)
        {
            throw new InvalidDataException(
                $"Layer '{layer.Name}' has a depthwise kernel for {channels} channels but its input is {input.Describe()}.");
        }

        // [kh, kw, C, m] read as [kh, kw, 1, C*m] is exactly a Conv2D kernel whose output channel is c * m + mi.
        var outputs = channels * multiplier;
        var weight = KernelLayout.KerasConvToOnnx(kernel.Values.Span, kh, kw, 1, outputs);
        var bias = config.Bool("use_bias", true) ? context.Weight(layer, "bias", rank: 1) : null;
        return ConvolutionNode.Emit(config, input, context.Graph, new ConvolutionNode.Parameters(
            Weight: weight, WeightDims: [outputs, 1, kh, kw], Bias: bias?.Values, OutputChannels: outputs,
            Groups: channels, KernelHeight: kh, KernelWidth: kw));
    }
}
