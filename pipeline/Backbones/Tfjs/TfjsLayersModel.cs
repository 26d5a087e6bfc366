namespace Pipeline.Backbones.Tfjs;

/// <summary>
/// A TF.js layers model held in memory: its Keras topology and its weights, dequantised. Read one with
/// <see cref="TfjsModelReader"/>.
/// </summary>
public sealed class TfjsLayersModel
{
    private readonly Dictionary<string, TfjsLayer> layersByName;

    public TfjsLayersModel(IReadOnlyList<TfjsLayer> layers, IReadOnlyList<string> inputLayers,
        IReadOnlyList<string> outputLayers, IReadOnlyDictionary<string, TfjsTensor> weights)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(inputLayers);
        ArgumentNullException.ThrowIfNull(outputLayers);
        ArgumentNullException.ThrowIfNull(weights);
        layersByName = new Dictionary<string, TfjsLayer>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            if (!layersByName.TryAdd(layer.Name, layer))
            {
                throw new ArgumentException($"Two layers share the name '{layer.Name}'.", nameof(layers));
            }
        }

        Layers = layers;
        InputLayers = inputLayers;
        OutputLayers = outputLayers;
        Weights = weights;
    }

    /// <summary>Layers in the order model.json lists them.</summary>
    public IReadOnlyList<TfjsLayer> Layers { get; }

    public IReadOnlyList<string> InputLayers { get; }

    public IReadOnlyList<string> OutputLayers { get; }

    /// <summary>Weights by manifest name, such as "bn_Conv1/moving_mean".</summary>
    public IReadOnlyDictionary<string, TfjsTensor> Weights { get; }

    public TfjsLayer? FindLayer(string name) => layersByName.GetValueOrDefault(name);
}
