namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Keras Add over inputs of one shape (the residual connections of MobileNetV2).</summary>
internal sealed class AddLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        var layer = config.Layer;
        if (inputs.Count < 2)
        {
            throw new InvalidDataException($"Layer '{layer.Name}' (Add) needs at least two inputs, got {inputs.Count}.");
        }

        var first = inputs[0];
        if (inputs.Any(input => (input.Channels, input.Height, input.Width) != (first.Channels, first.Height, first.Width)))
        {
            throw new NotSupportedException(
                $"Layer '{layer.Name}' (Add) adds differently shaped inputs {string.Join(", ", inputs.Select(i => i.Describe()))}; " +
                "broadcasting is not supported.");
        }

        // Sum is Add for any number of inputs.
        var output = context.Graph.AddNode(inputs.Count == 2 ? "Add" : "Sum", layer.Name,
            inputs.Select(input => input.Value).ToList());
        return first with { Value = output };
    }
}
