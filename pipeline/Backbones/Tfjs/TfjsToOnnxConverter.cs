using System.Text.Json;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Tfjs.Layers;

namespace Pipeline.Backbones.Tfjs;

/// <summary>
/// Converts a Keras layers model in TF.js format into an ONNX feature extractor: the layers needed for the requested
/// taps are lowered to ONNX (NCHW), each tap is globally pooled, and the pooled vectors are concatenated into one
/// output, "features". Everything else, the classifier head included, is left out.
/// </summary>
public sealed class TfjsToOnnxConverter
{
    /// <summary>
    /// The oldest opset with the semantics used here: Softmax over one axis (13), GreaterOrEqual (12), and Clip and
    /// Pad taking their bounds as inputs (11). ONNX Runtime 1.31 runs it natively.
    /// </summary>
    public const int OpsetVersion = 13;

    public const string InputName = "input";
    public const string OutputName = "features";

    /// <summary>Converts the model and writes the ONNX file (to a temporary name, then renamed into place).</summary>
    /// <exception cref="ArgumentException">A tap does not exist, or the options are invalid.</exception>
    /// <exception cref="NotSupportedException">The model uses a layer type or setting the converter does not know.</exception>
    /// <exception cref="InvalidDataException">model.json or its weights are malformed or inconsistent.</exception>
    public ConvertedBackbone Convert(string modelJsonPath, TfjsConversionOptions options, string outputOnnxPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelJsonPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputOnnxPath);
        CheckOptions(options);

        var model = TfjsModelReader.Read(modelJsonPath);
        RejectUnknownLayerTypes(model);
        var taps = options.Taps.Select(tap => ResolveTap(model, tap, nameof(options))).ToList();
        var layersInOrder = LayersNeededFor(model, taps);
        var inputLayer = SingleInputLayer(layersInOrder);
        var inputSize = ResolveInputSize(inputLayer, options);

        var graph = new OnnxGraphBuilder("tfjs_feature_extractor");
        graph.AddFloatInput(InputName,
            OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(3), OnnxDimension.Fixed(inputSize), OnnxDimension.Fixed(inputSize));
        graph.ClaimExactName(OutputName);
        var maps = LowerLayers(layersInOrder, inputLayer, new FeatureMap(InputName, 3, inputSize, inputSize),
            new LoweringContext(graph, model));

        var slices = AddPooledFeatures(graph, taps, maps, options.Pooling);
        var featureLength = slices.Sum(slice => slice.Length);
        graph.AddFloatOutput(OutputName, OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(featureLength));

        var onnx = graph.Build(OpsetVersion, producerName: "Pipeline.Backbones.Tfjs",
            docString: $"Features of {string.Join(", ", options.Taps)} ({options.Pooling} pooling) from {Path.GetFileName(modelJsonPath)}.");
        OnnxModelFile.WriteAtomically(onnx, outputOnnxPath);
        return new ConvertedBackbone(inputSize, featureLength, slices);
    }

    private static void CheckOptions(TfjsConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Taps is not { Count: > 0 })
        {
            throw new ArgumentException("At least one tap layer is required.", nameof(options));
        }

        if (options.Taps.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Tap layer names must not be blank.", nameof(options));
        }

        if (options.Taps.GroupBy(tap => tap, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } repeated)
        {
            throw new ArgumentException($"Tap '{repeated.Key}' is listed more than once.", nameof(options));
        }

        if (!Enum.IsDefined(options.Pooling))
        {
            throw new ArgumentException($"Pooling {options.Pooling} is not a TapPooling value.", nameof(options));
        }

        if (options.InputSize is <= 0)
        {
            throw new ArgumentException($"InputSize must be positive, got {options.InputSize}.", nameof(options));
        }
    }

    // Checked over the whole topology, not just the pruned part: a model we cannot fully read is more likely a model
    // we misunderstand than one whose unknown parts happen not to matter.
    private static void RejectUnknownLayerTypes(TfjsLayersModel model)
    {
        if (model.Layers.FirstOrDefault(layer => !KerasLayerCatalog.IsKnown(layer.ClassName)) is { } unknown)
        {
            throw new NotSupportedException(
                $"Layer '{unknown.Name}' has type '{unknown.ClassName}', which the TF.js converter does not know. " +
                $"Known types: {string.Join(", ", KerasLayerCatalog.KnownTypes)}.");
        }
    }

    private static TfjsLayer ResolveTap(TfjsLayersModel model, string tap, string parameterName)
    {
        if (model.FindLayer(tap) is { } layer)
        {
            return layer;
        }

        var closest = LayerNameSuggestions.Closest(tap, model.Layers.Select(l => l.Name));
        throw new ArgumentException(
            $"Tap '{tap}' is not a layer of the model. Closest layer names: {string.Join(", ", closest)}.", parameterName);
    }

    /// <summary>The layers the taps depend on, each after all of its inputs (depth-first, in tap order).</summary>
    private static List<TfjsLayer> LayersNeededFor(TfjsLayersModel model, IReadOnlyList<TfjsLayer> taps)
    {
        var ordered = new List<TfjsLayer>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var onPath = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tap in taps)
        {
            Visit(tap, tap);
        }

        return ordered;

        void Visit(TfjsLayer layer, TfjsLayer tap)
        {
            if (done.Contains(layer.Name))
            {
                return;
            }

            if (!onPath.Add(layer.Name))
            {
                throw new InvalidDataException($"The model's topology has a cycle through layer '{layer.Name}'.");
            }

            if (KerasLayerCatalog.IsHead(layer.ClassName))
            {
                throw new NotSupportedException(
                    $"Tap '{tap.Name}' depends on layer '{layer.Name}' ({layer.ClassName}), part of the classifier head " +
                    "that the converter drops; tap a feature-map layer instead.");
            }

            foreach (var inbound in layer.InboundLayers)
            {
                Visit(model.FindLayer(inbound) ?? throw new InvalidDataException(
                    $"Layer '{layer.Name}' reads from '{inbound}', which is not a layer of the model."), tap);
            }

            onPath.Remove(layer.Name);
            done.Add(layer.Name);
            ordered.Add(layer);
        }
    }

    private static TfjsLayer SingleInputLayer(IReadOnlyList<TfjsLayer> layers)
    {
        var inputs = layers.Where(layer => layer.ClassName == KerasLayerCatalog.InputLayer).ToList();
        return inputs.Count == 1
            ? inputs[0]
            : throw new NotSupportedException(
                $"The taps depend on {inputs.Count} input layers ({string.Join(", ", inputs.Select(i => i.Name))}); " +
                "exactly one image input is supported.");
    }

    private static int ResolveInputSize(TfjsLayer inputLayer, TfjsConversionOptions options)
    {
        // batch_input_shape is [batch, height, width, channels]; height and width may be null (any size).
        var shape = inputLayer.Config.TryGetProperty("batch_input_shape", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Select(d => d.ValueKind == JsonValueKind.Number ? d.GetInt32() : (int?)null).ToList()
            : throw new InvalidDataException($"Input layer '{inputLayer.Name}' has no batch_input_shape.");
        if (shape.Count != 4 || shape[3] != 3)
        {
            throw new NotSupportedException(
                $"Input layer '{inputLayer.Name}' has shape [{string.Join(", ", shape.Select(d => d?.ToString() ?? "null"))}]; " +
                "an RGB image input [batch, height, width, 3] is required.");
        }

        if (options.InputSize is { } requested)
        {
            return requested;
        }

        return shape[1] is { } height && height == shape[2]
            ? height
            : throw new ArgumentException(
                $"Input layer '{inputLayer.Name}' does not fix a square size ({shape[1]?.ToString() ?? "null"}x" +
                $"{shape[2]?.ToString() ?? "null"}); set TfjsConversionOptions.InputSize.", nameof(options));
    }

    private static Dictionary<string, FeatureMap> LowerLayers(IReadOnlyList<TfjsLayer> layers, TfjsLayer inputLayer,
        FeatureMap input, LoweringContext context)
    {
        var maps = new Dictionary<string, FeatureMap>(StringComparer.Ordinal) { [inputLayer.Name] = input };
        foreach (var layer in layers.Where(layer => layer.Name != inputLayer.Name))
        {
            var inputs = layer.InboundLayers.Select(name => maps[name]).ToList();
            maps[layer.Name] = KerasLayerCatalog.LoweringFor(layer.ClassName)
                .Lower(new KerasLayerConfig(layer), inputs, context);
        }

        return maps;
    }

    private static List<TapSlice> AddPooledFeatures(OnnxGraphBuilder graph, IReadOnlyList<TfjsLayer> taps,
        IReadOnlyDictionary<string, FeatureMap> maps, TapPooling pooling)
    {
        var pieces = new List<string>();
        var slices = new List<TapSlice>();
        var offset = 0;
        foreach (var tap in taps)
        {
            var map = maps[tap.Name];
            pieces.Add(FeatureMapPooling.Global(graph, map.Value, "GlobalAveragePool", $"{tap.Name}/global_average"));
            if (pooling == TapPooling.AverageAndMax)
            {
                pieces.Add(FeatureMapPooling.Global(graph, map.Value, "GlobalMaxPool", $"{tap.Name}/global_max"));
            }

            var length = pooling == TapPooling.AverageAndMax ? 2 * map.Channels : map.Channels;
            slices.Add(new TapSlice(tap.Name, offset, length));
            offset += length;
        }

        graph.AddNodeWithExactOutput("Concat", OutputName, pieces, OnnxAttributes.Int("axis", 1));
        return slices;
    }
}
