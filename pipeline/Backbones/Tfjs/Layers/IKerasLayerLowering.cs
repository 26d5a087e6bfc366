namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Emits the ONNX nodes computing one Keras layer type, given its already lowered inputs.</summary>
internal interface IKerasLayerLowering
{
    FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context);
}
