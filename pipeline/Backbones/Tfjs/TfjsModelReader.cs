using System.Text.Json;

namespace Pipeline.Backbones.Tfjs;

/// <summary>
/// Reads a TF.js layers model (model.json plus the weight files its manifest names) into a
/// <see cref="TfjsLayersModel"/>. Functional models ("Model"/"Functional") and Sequential models are understood;
/// weights must be float32, optionally quantised to uint8, uint16 or float16.
/// </summary>
public static class TfjsModelReader
{
    public static TfjsLayersModel Read(string modelJsonPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelJsonPath);
        if (!File.Exists(modelJsonPath))
        {
            throw new FileNotFoundException($"TF.js model file '{modelJsonPath}' does not exist.", modelJsonPath);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(modelJsonPath));
        var root = document.RootElement;
        if (!root.TryGetProperty("modelTopology", out var topology) || topology.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(modelJsonPath, "it has no 'modelTopology' object; is it a TF.js layers model?");
        }

        // Keras-converted files wrap the model in {keras_version, backend, model_config}; tfjs's own saves do not.
        var modelConfig = topology.TryGetProperty("model_config", out var wrapped) ? wrapped : topology;
        var className = StringProperty(modelConfig, "class_name", modelJsonPath);
        var config = modelConfig.GetProperty("config");
        var (layers, inputs, outputs) = className switch
        {
            "Model" or "Functional" => ReadFunctional(config, modelJsonPath),
            "Sequential" => ReadSequential(config, modelJsonPath),
            _ => throw Invalid(modelJsonPath, $"its model class '{className}' is neither a functional nor a Sequential model."),
        };

        var weights = root.TryGetProperty("weightsManifest", out var manifest)
            ? ReadWeights(manifest, Path.GetDirectoryName(Path.GetFullPath(modelJsonPath))!, modelJsonPath)
            : new Dictionary<string, TfjsTensor>();
        return new TfjsLayersModel(layers, inputs, outputs, weights);
    }

    private static (List<TfjsLayer>, List<string>, List<string>) ReadFunctional(JsonElement config, string path)
    {
        var layers = new List<TfjsLayer>();
        foreach (var layer in config.GetProperty("layers").EnumerateArray())
        {
            var name = StringProperty(layer, "name", path);
            layers.Add(new TfjsLayer(name, StringProperty(layer, "class_name", path),
                layer.GetProperty("config").Clone(), InboundLayerNames(layer, name, path)));
        }

        return (layers, EndpointNames(config, "input_layers"), EndpointNames(config, "output_layers"));
    }

    // A Sequential model lists its layers as a chain without inbound_nodes, and may start without an InputLayer
    // (the first layer then carries batch_input_shape), so the chain and the input are made explicit here.
    private static (List<TfjsLayer>, List<string>, List<string>) ReadSequential(JsonElement config, string path)
    {
        var entries = config.ValueKind == JsonValueKind.Array ? config : config.GetProperty("layers");
        var layers = new List<TfjsLayer>();
        foreach (var layer in entries.EnumerateArray())
        {
            var name = StringProperty(layer, "name", path);
            var layerConfig = layer.GetProperty("config").Clone();
            var className = StringProperty(layer, "class_name", path);
            if (layers.Count == 0 && className != "InputLayer")
            {
                if (!layerConfig.TryGetProperty("batch_input_shape", out var shape))
                {
                    throw Invalid(path, $"its first layer '{name}' declares no batch_input_shape.");
                }

                var inputConfig = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["name"] = $"{name}_input",
                    ["batch_input_shape"] = shape,
                });
                layers.Add(new TfjsLayer($"{name}_input", "InputLayer", inputConfig, []));
            }

            layers.Add(new TfjsLayer(name, className, layerConfig, layers.Count == 0 ? [] : [layers[^1].Name]));
        }

        if (layers.Count == 0)
        {
            throw Invalid(path, "its Sequential model has no layers.");
        }

        return (layers, [layers[0].Name], [layers[^1].Name]);
    }

    // inbound_nodes holds one entry per call of the layer; each entry lists [layer, node index, tensor index, kwargs].
    // Feature extractors call every layer once on single-output layers, which is all this reader accepts.
    private static List<string> InboundLayerNames(JsonElement layer, string layerName, string path)
    {
        if (!layer.TryGetProperty("inbound_nodes", out var nodes) || nodes.GetArrayLength() == 0)
        {
            return [];
        }

        if (nodes.GetArrayLength() > 1)
        {
            throw new NotSupportedException(
                $"Layer '{layerName}' in '{path}' is called {nodes.GetArrayLength()} times; shared layers are not supported.");
        }

        var names = new List<string>();
        foreach (var inbound in nodes[0].EnumerateArray())
        {
            if (inbound.ValueKind != JsonValueKind.Array || inbound.GetArrayLength() < 3)
            {
                throw Invalid(path, $"layer '{layerName}' has an inbound node in an unknown format (Keras 3 files are not supported).");
            }

            if (inbound[1].GetInt32() != 0 || inbound[2].GetInt32() != 0)
            {
                throw new NotSupportedException(
                    $"Layer '{layerName}' reads output {inbound[2]} of call {inbound[1]} of '{inbound[0]}'; " +
                    "only single-call, single-output layers are supported.");
            }

            names.Add(inbound[0].GetString()!);
        }

        return names;
    }

    private static List<string> EndpointNames(JsonElement config, string property) =>
        config.TryGetProperty(property, out var endpoints)
            ? endpoints.EnumerateArray().Select(endpoint => endpoint[0].GetString()!).ToList()
            : [];

    private static Dictionary<string, TfjsTensor> ReadWeights(JsonElement manifest, string folder, string path)
    {
        var weights = new Dictionary<string, TfjsTensor>(StringComparer.Ordinal);
        foreach (var group in manifest.EnumerateArray())
        {
            // The files of one group are a single byte stream split into shards; weights run across shard borders.
            var bytes = ReadGroupBytes(group, folder);
            var offset = 0;
            foreach (var entry in group.GetProperty("weights").EnumerateArray())
            {
                var spec = ReadSpec(entry, path);
                var length = TfjsWeightDecoding.ByteLength(spec);
                if (offset + length > bytes.Length)
                {
                    throw Invalid(path, $"its weight files end before weight '{spec.Name}' ({bytes.Length} bytes in the group).");
                }

                var values = TfjsWeightDecoding.Decode(spec, bytes.AsSpan(offset, length));
                if (!weights.TryAdd(spec.Name, new TfjsTensor(spec.Name, spec.Shape, values)))
                {
                    throw Invalid(path, $"its manifest lists weight '{spec.Name}' twice.");
                }

                offset += length;
            }

            if (offset != bytes.Length)
            {
                throw Invalid(path, $"a weight group holds {bytes.Length} bytes but its manifest describes {offset}.");
            }
        }

        return weights;
    }

    private static byte[] ReadGroupBytes(JsonElement group, string folder)
    {
        using var buffer = new MemoryStream();
        foreach (var shard in group.GetProperty("paths").EnumerateArray())
        {
            var shardPath = Path.Combine(folder, shard.GetString()!);
            using var stream = File.OpenRead(shardPath);
            stream.CopyTo(buffer);
        }

        return buffer.ToArray();
    }

    private static TfjsWeightSpec ReadSpec(JsonElement entry, string path)
    {
        var name = StringProperty(entry, "name", path);
        var shape = entry.GetProperty("shape").EnumerateArray().Select(dim => dim.GetInt32()).ToArray();
        var dtype = entry.TryGetProperty("dtype", out var d) ? d.GetString() ?? "float32" : "float32";
        TfjsQuantization? quantization = null;
        if (entry.TryGetProperty("quantization", out var q) && q.ValueKind == JsonValueKind.Object)
        {
            quantization = new TfjsQuantization(
                StringProperty(q, "dtype", path),
                q.TryGetProperty("min", out var min) ? min.GetDouble() : null,
                q.TryGetProperty("scale", out var scale) ? scale.GetDouble() : null);
        }

        return new TfjsWeightSpec(name, shape, dtype, quantization);
    }

    private static string StringProperty(JsonElement element, string property, string path) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Invalid(path, $"an object lacks the string property '{property}'.");

    private static InvalidDataException Invalid(string path, string why) =>
        new($"'{path}' is not a TF.js layers model this reader understands: {why}");
}
