using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Keras Conv2D: kernel [kh, kw, in/groups, out] becomes an ONNX Conv weight [out, in/groups, kh, kw].</summary>
internal sealed class Conv2DLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        config.RequireChannelsLast();
        var input = config.SingleInput(inputs);
        var layer = config.Layer;
        var kernel = context.Weight(layer, "kernel", rank: 4);
        var (kh, kw, inPerGroup, filters) = (kernel.Shape[0], kernel.Shape[1], kernel.Shape[2], kernel.Shape[3]);
        var groups = config.Int("groups", 1);
        if (inPerGroup * groups != input.Channels || filters % groups != 0)
        {
            throw new InvalidDataException(
                $"Layer '{layer.Name}' has a kernel [{kh}, {kw}, {inPerGroup}, {filters}] with {groups} group(s) " +
                $"but its input is {input.Describe()}.");
        }

        var weight = KernelLayout.KerasConvToOnnx(kernel.Values.Span, kh, kw, inPerGroup, filters);
        var bias = config.Bool("use_bias", true) ? context.Weight(layer, "bias", rank: 1) : null;
        return ConvolutionNode.Emit(config, input, context.Graph, new ConvolutionNode.Parameters(
            Weight: weight, WeightDims: [filters, inPerGroup, kh, kw], Bias: bias?.Values, OutputChannels: filters,
            Groups: groups, KernelHeight: kh, KernelWidth: kw));
    }
}
