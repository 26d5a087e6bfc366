using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Keras Concatenate (InceptionV3's "mixed" blocks). Keras' NHWC axis maps to the matching NCHW axis.</summary>
internal sealed class ConcatenateLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        var layer = config.Layer;
        if (inputs.Count == 0)
        {
            throw new InvalidDataException($"Layer '{layer.Name}' (Concatenate) has no inputs.");
        }

        var kerasAxis = config.Int("axis", -1);
        var (onnxAxis, sizes) = (kerasAxis < 0 ? kerasAxis + 4 : kerasAxis) switch
        {
            3 => (1, inputs.Select(i => (Along: i.Channels, Across: (i.Height, i.Width))).ToList()),
            1 => (2, inputs.Select(i => (Along: i.Height, Across: (i.Channels, i.Width))).ToList()),
            2 => (3, inputs.Select(i => (Along: i.Width, Across: (i.Channels, i.Height))).ToList()),
            _ => throw new NotSupportedException(
                $"Layer '{layer.Name}' (Concatenate) joins along axis {kerasAxis}; only the channel or spatial axes are supported."),
        };
        if (sizes.Any(size => size.Across != sizes[0].Across))
        {
            throw new InvalidDataException(
                $"Layer '{layer.Name}' (Concatenate) joins incompatible inputs {string.Join(", ", inputs.Select(i => i.Describe()))}.");
        }

        var output = context.Graph.AddNode("Concat", layer.Name, inputs.Select(input => input.Value).ToList(),
            OnnxAttributes.Int("axis", onnxAxis));
        var total = sizes.Sum(size => size.Along);
        var first = inputs[0];
        return onnxAxis switch
        {
            1 => new FeatureMap(output, total, first.Height, first.Width),
            2 => new FeatureMap(output, first.Channels, total, first.Width),
            _ => new FeatureMap(output, first.Channels, first.Height, total),
        };
    }
}
