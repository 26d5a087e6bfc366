using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// Keras' ReLU layer: max_value for x &gt;= max_value, x for threshold &lt;= x &lt; max_value, and
/// negative_slope * (x - threshold) below the threshold. The common cases map to Relu and Clip (MobileNetV2's ReLU6).
/// </summary>
internal sealed class ReluLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        var input = config.SingleInput(inputs);
        var name = config.Layer.Name;
        var graph = context.Graph;
        var maxValue = config.NullableDouble("max_value");
        var slope = config.Double("negative_slope", 0);
        var threshold = config.Double("threshold", 0);

        string output;
        if (slope == 0 && threshold == 0)
        {
            output = maxValue is { } max
                ? graph.AddNode("Clip", name,
                    [input.Value, graph.AddFloatScalar($"{name}/min", 0f), graph.AddFloatScalar($"{name}/max", (float)max)])
                : graph.AddNode("Relu", name, [input.Value]);
        }
        else
        {
            var thresholdValue = graph.AddFloatScalar($"{name}/threshold", (float)threshold);
            var below = graph.AddNode("Mul", $"{name}/below",
                [graph.AddNode("Sub", $"{name}/shifted", [input.Value, thresholdValue]),
                    graph.AddFloatScalar($"{name}/negative_slope", (float)slope)]);
            var isAbove = graph.AddNode("GreaterOrEqual", $"{name}/is_above", [input.Value, thresholdValue]);
            output = maxValue is { } max
                ? graph.AddNode("Min", name,
                    [graph.AddNode("Where", $"{name}/unclipped", [isAbove, input.Value, below]),
                        graph.AddFloatScalar($"{name}/max", (float)max)])
                : graph.AddNode("Where", name, [isAbove, input.Value, below]);
        }

        return input with { Value = output };
    }
}
