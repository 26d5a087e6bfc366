using Pipeline.Backbones.Onnx;

namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>What a layer lowering may use: the graph being built and the model's weights.</summary>
internal sealed class LoweringContext(OnnxGraphBuilder graph, TfjsLayersModel model)
{
    public OnnxGraphBuilder Graph { get; } = graph;

    /// <summary>The weight "layer/variable", checked to have the expected rank.</summary>
    public TfjsTensor Weight(TfjsLayer layer, string variable, int rank) =>
        OptionalWeight(layer, variable, rank)
        ?? throw new InvalidDataException(
            $"Layer '{layer.Name}' ({layer.ClassName}) needs the weight '{layer.Name}/{variable}', which the manifest lacks.");

    public TfjsTensor? OptionalWeight(TfjsLayer layer, string variable, int rank)
    {
        // Converters name weights "layer/variable"; models saved from nested Keras models prefix the outer name.
        var exact = $"{layer.Name}/{variable}";
        var tensor = model.Weights.GetValueOrDefault(exact)
            ?? model.Weights.Values.FirstOrDefault(weight => weight.Name.EndsWith("/" + exact, StringComparison.Ordinal));
        if (tensor is not null && tensor.Shape.Count != rank)
        {
            throw new InvalidDataException(
                $"Weight '{tensor.Name}' of layer '{layer.Name}' has shape [{string.Join(", ", tensor.Shape)}]; " +
                $"expected rank {rank}.");
        }

        return tensor;
    }

    /// <summary>A per-channel vector weight, or <paramref name="fill"/> repeated when the layer does not have it.</summary>
    public float[] ChannelVector(TfjsLayer layer, string variable, int channels, bool present, float fill)
    {
        if (!present)
        {
            return Enumerable.Repeat(fill, channels).ToArray();
        }

        var weight = Weight(layer, variable, rank: 1);
        if (weight.Shape[0] != channels)
        {
            throw new InvalidDataException(
                $"Weight '{weight.Name}' has {weight.Shape[0]} values but layer '{layer.Name}' sees {channels} channels.");
        }

        return weight.Values.ToArray();
    }
}
