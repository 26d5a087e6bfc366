using System.Text.Json;
using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// Keras ZeroPadding2D as an ONNX Pad. It is kept as its own node rather than folded into the following conv's pads:
/// ONNX Runtime fuses the two itself, and a separate node keeps each Keras layer's output tappable.
/// </summary>
internal sealed class ZeroPadding2DLowering : IKerasLayerLowering
{
    public FeatureMap Lower(KerasLayerConfig config, IReadOnlyList<FeatureMap> inputs, LoweringContext context)
    {
        config.RequireChannelsLast();
        var input = config.SingleInput(inputs);
        var (top, bottom, left, right) = ReadPadding(config);
        var graph = context.Graph;
        var name = config.Layer.Name;
        // Opset 13 takes pads as an int64 input: all begins (N, C, H, W), then all ends.
        var pads = graph.AddInt64Initializer($"{name}/pads", [8], [0, 0, top, left, 0, 0, bottom, right]);
        var output = graph.AddNode("Pad", name, [input.Value, pads], OnnxAttributes.String("mode", "constant"));
        return new FeatureMap(output, input.Channels, input.Height + top + bottom, input.Width + left + right);
    }

    // Keras accepts p, [p_rows, p_columns] or [[top, bottom], [left, right]].
    private static (int Top, int Bottom, int Left, int Right) ReadPadding(KerasLayerConfig config)
    {
        var padding = config.Find("padding");
        switch (padding)
        {
            case null:
                return (1, 1, 1, 1);
            case { ValueKind: JsonValueKind.Number } all:
                var p = all.GetInt32();
                return (p, p, p, p);
            case { ValueKind: JsonValueKind.Array } pair when pair.GetArrayLength() == 2:
                if (pair[0].ValueKind == JsonValueKind.Number && pair[1].ValueKind == JsonValueKind.Number)
                {
                    return (pair[0].GetInt32(), pair[0].GetInt32(), pair[1].GetInt32(), pair[1].GetInt32());
                }

                if (pair[0].ValueKind == JsonValueKind.Array && pair[1].ValueKind == JsonValueKind.Array)
                {
                    return (pair[0][0].GetInt32(), pair[0][1].GetInt32(), pair[1][0].GetInt32(), pair[1][1].GetInt32());
                }

                break;
        }

        throw config.Invalid("padding", "must be an integer, two integers or two pairs of integers");
    }
}
