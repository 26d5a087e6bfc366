namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// Keras GlobalAveragePooling2D and GlobalMaxPooling2D. Keras returns [N, C]; here the result stays [N, C, 1, 1] so
/// that it is still a feature map (and tapping it pools a 1x1 map, which changes nothing).
/// </summary>
internal sealed class GlobalPoolingLowering(bool average) : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        config.RequireChannelsLast();
        var input = config.SingleInput(inputs);
        var output = context.Graph.AddNode(average ? "GlobalAveragePool" : "GlobalMaxPool", config.Layer.Name,
            [input.Value]);
        return new FeatureMap(output, input.Channels, 1, 1);
    }
}
