using System.Runtime.InteropServices;
using Google.Protobuf;
using Pipeline.Backbones;
using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Backbones.Tfjs;
using Pipeline.Images;
using static TorchSharp.torch;

namespace Pipeline.FineTuning.LastStage;

/// <summary>
/// Writes tuned weights back into the package graph's initializers and turns that graph into a bring-your-own
/// backbone (<c>&lt;name&gt;.onnx</c> + <c>&lt;name&gt;.json</c>) with the built-in Resnet18's taps, pooling, input
/// and letterboxing, so the tuned network trains, serves and exports on ONNX Runtime like any other backbone.
/// </summary>
internal static class TunedBackboneWriter
{
    /// <summary>The package graph with every tensor of <paramref name="tensors"/> replacing its initializer.</summary>
    public static ModelProto WithInitializers(ModelProto network, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var tuned = network.Clone();
        foreach (var initializer in tuned.Graph.Initializer)
        {
            if (!tensors.TryGetValue(initializer.Name, out var value)) continue;
            var values = value.detach().contiguous().data<float>().ToArray();
            var expected = initializer.Dims.Aggregate(1L, (a, d) => a * d);
            if (values.Length != expected)
                throw new InvalidOperationException($"{initializer.Name}: {values.Length} values for dims [{string.Join(", ", initializer.Dims)}].");
            initializer.FloatData.Clear();
            initializer.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        }

        return tuned;
    }

    /// <summary>
    /// Writes the feature extractor and its descriptor into <paramref name="folder"/> (a <c>backbones/custom</c>
    /// folder), and the whole tuned network into <see cref="DetailsFolder"/>: only the descriptor is a <c>.json</c>
    /// there, since the catalog reads every <c>.json</c> in that folder as one.
    /// </summary>
    /// <returns>The descriptor JSON's path.</returns>
    public static async Task<string> WriteAsync(ModelProto tunedNetwork, ResNet18PackageFiles package, string name, string folder,
        CancellationToken ct = default)
    {
        OnnxModelFile.WriteAtomically(tunedNetwork, Path.Combine(DetailsFolder(folder, name), "network.onnx"));
        var featuresPath = Path.Combine(folder, $"{name}.onnx");
        ResNet18GraphRewriter.Rewrite(tunedNetwork.Graph, package, ResNet18Taps.Pooled, TapPooling.AverageAndMax, featuresPath);

        var jsonPath = Path.Combine(folder, $"{name}.json");
        await CustomBackbones.WriteAsync(jsonPath, new CustomBackboneFile(name, Path.GetFileName(featuresPath),
            ResNet18GraphRewriter.InputSize, PixelScaling.Raw, ResNet18GraphRewriter.InputName, ResNet18GraphRewriter.OutputName,
            BackboneCatalog.TrimmedResize,
            // Tuned on the train part, so its cross-validation figure is optimistic and would win the selection
            // against better candidates (docs/BACKBONES.md): trained only where named.
            InDefaultSet: false), ct);
        return jsonPath;
    }

    /// <summary>Where the tuned network and the tuning report go: <c>&lt;folder&gt;/&lt;name&gt;.tuning/</c>.</summary>
    public static string DetailsFolder(string folder, string name) => Path.Combine(folder, $"{name}.tuning");
}
