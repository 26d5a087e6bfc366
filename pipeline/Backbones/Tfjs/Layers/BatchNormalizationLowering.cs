using System.Text.Json;
using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// Keras BatchNormalization at inference: (x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta over the
/// channel axis. A layer built with scale=false has no gamma (ones) and with center=false no beta (zeros).
/// </summary>
internal sealed class BatchNormalizationLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        var input = config.SingleInput(inputs);
        RequireChannelAxis(config);
        var layer = config.Layer;
        var channels = input.Channels;
        var graph = context.Graph;
        var gamma = context.ChannelVector(layer, "gamma", channels, config.Bool("scale", true), fill: 1f);
        var beta = context.ChannelVector(layer, "beta", channels, config.Bool("center", true), fill: 0f);
        var mean = context.ChannelVector(layer, "moving_mean", channels, present: true, fill: 0f);
        var variance = context.ChannelVector(layer, "moving_variance", channels, present: true, fill: 1f);
        var output = graph.AddNode("BatchNormalization", layer.Name,
            [
                input.Value,
                graph.AddFloatInitializer($"{layer.Name}/gamma", [channels], gamma),
                graph.AddFloatInitializer($"{layer.Name}/beta", [channels], beta),
                graph.AddFloatInitializer($"{layer.Name}/moving_mean", [channels], mean),
                graph.AddFloatInitializer($"{layer.Name}/moving_variance", [channels], variance),
            ],
            OnnxAttributes.Float("epsilon", (float)config.Double("epsilon", 1e-3)));
        return input with { Value = output };
    }

    // Keras writes the axis as -1 or 3 (both the channels of NHWC), sometimes wrapped in a one-element list.
    private static void RequireChannelAxis(KerasLayerConfig config)
    {
        var axis = config.Find("axis") switch
        {
            null => -1,
            { ValueKind: JsonValueKind.Number } single => single.GetInt32(),
            { ValueKind: JsonValueKind.Array } list when list.GetArrayLength() == 1 => list[0].GetInt32(),
            _ => throw config.Invalid("axis", "must be one integer"),
        };
        if (axis is not (-1 or 3))
        {
            throw new NotSupportedException(
                $"Layer '{config.Layer.Name}' (BatchNormalization) normalises axis {axis}; only the channel axis (-1 or 3) is supported.");
        }
    }
}
