using System.Buffers.Binary;
using System.Text.Json;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// Writes small TF.js layers models (model.json + weights.bin) from a test: a functional Keras 2 topology with
/// deterministic random float32 weights, or hand-made quantised weights. The files are the same format
/// tools/nsfwjs/extract.cjs produces, so both the converter and TensorFlow.js can load them.
/// </summary>
internal sealed class KerasModelFile : IDisposable
{
    private readonly List<object> layers = [];
    private readonly List<object> weightSpecs = [];
    private readonly MemoryStream weightBytes = new();
    private readonly Random random = new(20240611);
    private string? inputLayer;

    public KerasModelFile Input(string name, int height, int width)
    {
        inputLayer = name;
        return Layer(name, "InputLayer", new { batch_input_shape = new int?[] { null, height, width, 3 }, dtype = "float32" });
    }

    public KerasModelFile Layer(string name, string className, object config, params string[] inbound)
    {
        var configJson = JsonSerializer.SerializeToNode(config)!.AsObject();
        configJson["name"] = name;
        layers.Add(new
        {
            name,
            class_name = className,
            config = configJson,
            inbound_nodes = inbound.Length == 0
                ? Array.Empty<object>()
                : [inbound.Select(source => new object[] { source, 0, 0, new { } }).ToArray()],
        });
        return this;
    }

    /// <summary>A float32 weight with values uniform in [offset - spread, offset + spread].</summary>
    public KerasModelFile RandomWeight(string name, int[] shape, double spread = 0.5, double offset = 0)
    {
        var values = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(offset + spread * (2 * random.NextDouble() - 1));
        }

        return Weight(name, shape, values);
    }

    public KerasModelFile Weight(string name, int[] shape, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        weightBytes.Write(bytes);
        weightSpecs.Add(new { name, shape, dtype = "float32" });
        return this;
    }

    /// <summary>A weight stored quantised: <paramref name="bytes"/> are the raw uint8/uint16/float16 values.</summary>
    public KerasModelFile QuantizedWeight(string name, int[] shape, byte[] bytes, object quantization)
    {
        weightBytes.Write(bytes);
        weightSpecs.Add(new { name, shape, dtype = "float32", quantization });
        return this;
    }

    /// <summary>Writes a functional model into <paramref name="folder"/> and returns the path of model.json.</summary>
    public string Save(string folder, params string[] outputLayers) => Write(folder, new
    {
        class_name = "Model",
        config = new
        {
            name = "synthetic",
            layers,
            input_layers = new[] { new object[] { inputLayer!, 0, 0 } },
            output_layers = outputLayers.Select(layer => new object[] { layer, 0, 0 }).ToArray(),
        },
    });

    /// <summary>
    /// Writes the layers as a Keras Sequential model: no InputLayer (its batch_input_shape moves to the first layer)
    /// and no inbound_nodes, the way Keras saves one.
    /// </summary>
    public string SaveSequential(string folder)
    {
        var nodes = layers.Select(layer => JsonSerializer.SerializeToNode(layer)!.AsObject()).ToList();
        var input = nodes[0];
        if (input["class_name"]!.GetValue<string>() != "InputLayer")
        {
            throw new InvalidOperationException("Start a Sequential model with Input(...).");
        }

        nodes[1]["config"]!["batch_input_shape"] = input["config"]!["batch_input_shape"]!.DeepClone();
        var chain = nodes.Skip(1).ToList();
        chain.ForEach(node => node.Remove("inbound_nodes"));
        return Write(folder, new { class_name = "Sequential", config = new { name = "synthetic", layers = chain } });
    }

    private string Write(string folder, object modelConfig)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "weights.bin"), weightBytes.ToArray());
        var modelJson = new
        {
            format = "layers-model",
            modelTopology = new { keras_version = "2.2.4", backend = "tensorflow", model_config = modelConfig },
            weightsManifest = new[] { new { paths = new[] { "weights.bin" }, weights = weightSpecs } },
        };
        var path = Path.Combine(folder, "model.json");
        File.WriteAllText(path, JsonSerializer.Serialize(modelJson));
        return path;
    }

    public void Dispose() => weightBytes.Dispose();
}
