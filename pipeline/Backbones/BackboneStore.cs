using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Backbones.Nsfwjs;
using Pipeline.Backbones.Tfjs;
using Pipeline.Progress;
using Pipeline.Storage;

namespace Pipeline.Backbones;

/// <summary>
/// Turns catalog entries into ONNX feature extractors on disk, once, and finds them again afterwards:
/// <c>&lt;root&gt;/&lt;Name&gt;/&lt;tap-set&gt;/backbone.onnx</c> with its <c>backbone.json</c> descriptor.
/// Safe to call from several processes at once: preparation holds a lock file and publishes by rename.
/// </summary>
public sealed class BackboneStore(string root, BackboneCatalog catalog, BackbonePreparers preparers)
{
    private const string OnnxFileName = "backbone.onnx";
    private const string DescriptorFileName = "backbone.json";

    public string Root { get; } = Path.GetFullPath(root);
    public BackboneCatalog Catalog { get; } = catalog;

    /// <summary>Prepares (or finds) a backbone with its default taps, or with <paramref name="taps"/> when given.</summary>
    public async Task<PreparedBackbone> PrepareAsync(string name, IReadOnlyList<string>? taps = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var definition = Catalog.Get(name);
        if (definition.Source == BackboneSourceKind.RawPixels)
            return PreparedBackbone.RawPixelBaseline(definition);

        taps = taps is { Count: > 0 } ? taps : definition.DefaultTaps;
        var folder = FolderFor(definition, taps);
        if (TryLoad(folder) is { } ready) return ready;

        Directory.CreateDirectory(folder);
        // Another process converting the same backbone takes minutes, not the registry's seconds: wait longer for it.
        await using var gate = await FileGate.AcquireAsync(Path.Combine(folder, ".lock"), ct, wait: TimeSpan.FromMinutes(30));
        if (TryLoad(folder) is { } preparedMeanwhile) return preparedMeanwhile;

        progress?.Report(new ProgressUpdate("prepare", $"{definition.Name}: obtaining weights", 0, 2));
        var staging = AtomicFile.TempPathFor(Path.Combine(folder, "staging"));
        Directory.CreateDirectory(staging);
        try
        {
            var stagedOnnx = Path.Combine(staging, OnnxFileName);
            var (featureLength, slices, source) = await preparers.PrepareAsync(definition, taps, Root, stagedOnnx, progress, ct);
            progress?.Report(new ProgressUpdate("prepare", $"{definition.Name}: verifying", 1, 2));

            var descriptor = new BackboneDescriptor
            {
                Name = definition.Name,
                InputSize = definition.InputSize,
                Scaling = definition.Scaling,
                FeatureLength = featureLength,
                Taps = slices,
                Sha256 = await AtomicFile.Sha256Async(stagedOnnx, ct),
                Source = source,
                Pooling = definition.Pooling,
                Resize = definition.Resize,
                InputName = definition.InputName,
                OutputName = definition.Source == BackboneSourceKind.Custom ? taps[0] : "features",
            };

            // The ONNX file goes first and the descriptor last: a descriptor on disk means a complete backbone.
            File.Move(stagedOnnx, Path.Combine(folder, OnnxFileName), overwrite: true);
            await AtomicFile.WriteAllTextAsync(Path.Combine(folder, DescriptorFileName),
                JsonSerializer.Serialize(descriptor, PipelineJson.Options), ct);
            progress?.Report(new ProgressUpdate("prepare", $"{definition.Name}: ready", 2, 2));
            return new PreparedBackbone(descriptor, Path.Combine(folder, OnnxFileName));
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Finds an already prepared backbone by name and taps without preparing anything.</summary>
    public PreparedBackbone? TryFind(string name, IReadOnlyList<string> taps)
    {
        var definition = Catalog.Get(name);
        return definition.Source == BackboneSourceKind.RawPixels
            ? PreparedBackbone.RawPixelBaseline(definition)
            : TryLoad(FolderFor(definition, taps.Count > 0 ? taps : definition.DefaultTaps));
    }

    private string FolderFor(BackboneDefinition definition, IReadOnlyList<string> taps)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(
                string.Join(',', taps) + "|" + definition.SourceReference + "|" + definition.Pooling + "|" + definition.Resize)))[..12];
        return Path.Combine(Root, definition.Name, key);
    }

    private static PreparedBackbone? TryLoad(string folder)
    {
        var descriptorPath = Path.Combine(folder, DescriptorFileName);
        var onnxPath = Path.Combine(folder, OnnxFileName);
        if (!File.Exists(descriptorPath) || !File.Exists(onnxPath)) return null;
        var descriptor = JsonSerializer.Deserialize<BackboneDescriptor>(File.ReadAllText(descriptorPath), PipelineJson.Options)
                         ?? throw new PipelineException($"Backbone descriptor {descriptorPath} is empty.");
        return new PreparedBackbone(descriptor, onnxPath);
    }
}
