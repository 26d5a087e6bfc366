using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Keras' named activations (the Activation layer and the <c>activation</c> field of conv layers).</summary>
internal static class KerasActivation
{
    public static IReadOnlyList<string> Supported { get; } = ["linear", "relu", "relu6", "sigmoid", "tanh", "softmax"];

    /// <summary>Applies the activation to <paramref name="value"/>; "linear" returns it untouched.</summary>
    public static string Apply(KerasLayerConfig config, string activation, string value, string outputStem,
        OnnxGraphBuilder graph) => activation switch
    {
        "linear" => value,
        "relu" => graph.AddNode("Relu", outputStem, [value]),
        "relu6" => graph.AddNode("Clip", outputStem,
            [value, graph.AddFloatScalar($"{outputStem}/min", 0f), graph.AddFloatScalar($"{outputStem}/max", 6f)]),
        "sigmoid" => graph.AddNode("Sigmoid", outputStem, [value]),
        "tanh" => graph.AddNode("Tanh", outputStem, [value]),
        // Keras normalises over the last axis, the channels, which is axis 1 in NCHW; since opset 13 Softmax
        // reduces over exactly that one axis.
        "softmax" => graph.AddNode("Softmax", outputStem, [value], OnnxAttributes.Int("axis", 1)),
        _ => throw new NotSupportedException(
            $"Layer '{config.Layer.Name}' ({config.Layer.ClassName}) uses activation '{activation}'; " +
            $"supported are {string.Join(", ", Supported)}."),
    };
}
