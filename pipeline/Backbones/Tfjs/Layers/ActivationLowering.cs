namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Keras' Activation layer, such as InceptionV3's Activation("relu").</summary>
internal sealed class ActivationLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        var input = config.SingleInput(inputs);
        var activation = config.String("activation", "linear");
        var output = KerasActivation.Apply(config, activation, input.Value, config.Layer.Name, context.Graph);
        return input with { Value = output };
    }
}
