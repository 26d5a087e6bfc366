namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Layers that are the identity at inference, such as Dropout.</summary>
internal sealed class PassThroughLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context) =>
        config.SingleInput(inputs);
}
