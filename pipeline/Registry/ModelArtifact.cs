using System.Text.Json;
using Microsoft.ML;
using Pipeline.Backbones;
using Pipeline.Training;
using Pipeline.Storage;

namespace Pipeline.Registry;

/// <summary>
/// Reads and writes model folders. A folder is written under a temporary name, manifest last, and renamed into place,
/// so a crash can never leave a half-written model where anything would load it. A folder is self-contained: it holds
/// its backbone (<c>backbone.onnx</c>, hard-linked from the backbone store where possible, and <c>backbone.json</c>),
/// so a copy of it predicts anywhere without a data root.
/// </summary>
public static class ModelArtifact
{
    public const string ManifestFileName = "model.json";
    public const string HeadFileName = "head.zip";
    public const string BackboneFileName = "backbone.onnx";
    public const string BackboneDescriptorFileName = "backbone.json";

    /// <summary>The sub-folder where <c>train --out OUT</c> puts the chosen model.</summary>
    public const string TrainOutputModelFolder = "model";

    /// <param name="backbone">The backbone the head was trained on; its ONNX file is linked or copied into the folder.</param>
    public static async Task SaveAsync(string folder, ModelManifest manifest, MLContext ml, ITransformer head,
        PreparedBackbone backbone, CancellationToken ct = default)
    {
        if (backbone.Descriptor.Sha256 != manifest.Backbone.Sha256)
            throw new ArgumentException($"The backbone {backbone.Descriptor.Sha256} is not the one the manifest pins.", nameof(backbone));

        folder = Path.GetFullPath(folder);
        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(folder)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            if (backbone.OnnxPath is { } onnx)
            {
                FileLink.LinkOrCopy(onnx, Path.Combine(staging, BackboneFileName));
                await File.WriteAllTextAsync(Path.Combine(staging, BackboneDescriptorFileName),
                    JsonSerializer.Serialize(backbone.Descriptor, PipelineJson.Options), ct);
            }

            var schema = ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(),
                HeadTrainer.SchemaFor(manifest.Backbone.FeatureLength)).Schema;
            await using (var stream = File.Create(Path.Combine(staging, HeadFileName)))
                ml.Model.Save(head, schema, stream);
            await File.WriteAllTextAsync(Path.Combine(staging, ManifestFileName),
                JsonSerializer.Serialize(manifest, PipelineJson.Options), ct);

            if (Directory.Exists(folder))
            {
                // Replace an older folder of the same name without a window where neither exists under the name.
                var retired = Path.Combine(parent, $".{Path.GetFileName(folder)}.old-{Guid.NewGuid():N}");
                Directory.Move(folder, retired);
                Directory.Move(staging, folder);
                Directory.Delete(retired, recursive: true);
            }
            else
            {
                Directory.Move(staging, folder);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// The model folder a user pointed at: the folder itself, or <c>OUT/model</c> when given the folder that
    /// <c>train --out OUT</c> wrote.
    /// </summary>
    public static string Locate(string path)
    {
        var trained = Path.Combine(path, TrainOutputModelFolder);
        return !File.Exists(Path.Combine(path, ManifestFileName)) && File.Exists(Path.Combine(trained, ManifestFileName))
            ? trained
            : path;
    }

    /// <summary>True when the folder needs nothing outside itself: its backbone is inside, or it has none (raw pixels).</summary>
    public static bool IsSelfContained(string folder, ModelManifest manifest) =>
        manifest.Backbone.Sha256.Length == 0 || File.Exists(Path.Combine(folder, BackboneFileName));

    /// <summary>
    /// The backbone the model was trained on: the folder's own, checked against the SHA-256 the manifest pins; for a
    /// folder written before models carried their backbone, the one in <paramref name="backbones"/> (prepared if needed).
    /// </summary>
    /// <param name="backbones">Only needed for folders without a backbone inside; may be null otherwise.</param>
    /// <exception cref="PipelineException">The backbone is missing or is not the one the model was trained on.</exception>
    public static async Task<PreparedBackbone> LoadBackboneAsync(string folder, ModelManifest manifest,
        BackboneStore? backbones, CancellationToken ct = default)
    {
        var pinned = manifest.Backbone;
        // The raw-pixel baseline has no file; its descriptor in the manifest is all it needs.
        if (pinned.Sha256.Length == 0) return new PreparedBackbone(pinned, null);
        var onnx = Path.Combine(Path.GetFullPath(folder), BackboneFileName);
        if (File.Exists(onnx))
        {
            var sha256 = await AtomicFile.Sha256Async(onnx, ct);
            if (sha256 != pinned.Sha256)
                throw new PipelineException(
                    $"Model {folder} is corrupt: its {BackboneFileName} has SHA-256 {sha256}, but the model was trained on " +
                    $"{pinned.Name} with SHA-256 {pinned.Sha256}.");
            return new PreparedBackbone(pinned, onnx);
        }

        if (backbones is null)
            throw new PipelineException(
                $"Model {folder} has no {BackboneFileName} inside (it predates self-contained model folders); " +
                $"give a data root that holds the {pinned.Name} backbone.");
        var taps = pinned.Taps.Select(t => t.Layer).ToList();
        var backbone = backbones.TryFind(pinned.Name, taps) ?? await backbones.PrepareAsync(pinned.Name, taps, ct: ct);
        if (backbone.Descriptor.Sha256 != pinned.Sha256 || backbone.Descriptor.FeatureLength != pinned.FeatureLength)
            throw new PipelineException(
                $"Model {folder} was trained on {pinned.Name} with SHA-256 {pinned.Sha256}, but the prepared backbone has " +
                $"{backbone.Descriptor.Sha256}. Prepare the same backbone version or retrain.");
        return backbone;
    }

    /// <summary>The trained head (<c>head.zip</c>): label to key, standardisation, the multiclass model.</summary>
    /// <exception cref="PipelineException">The head cannot be loaded.</exception>
    public static async Task<ITransformer> LoadHeadAsync(string folder, MLContext ml, CancellationToken ct = default)
    {
        try
        {
            await using var stream = File.OpenRead(Path.Combine(folder, HeadFileName));
            ct.ThrowIfCancellationRequested();
            return ml.Model.Load(stream, out _);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or IOException)
        {
            throw new PipelineException($"Model {folder} is corrupt: {HeadFileName} cannot be loaded ({e.Message}).", e);
        }
    }

    /// <exception cref="PipelineException">The folder is not a complete, readable model.</exception>
    public static ModelManifest ReadManifest(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFileName);
        if (!Directory.Exists(folder))
            throw new PipelineException($"Model folder {folder} does not exist.");
        if (!File.Exists(manifestPath))
            throw new PipelineException($"{folder} is not a model folder: {ManifestFileName} is missing.");
        if (!File.Exists(Path.Combine(folder, HeadFileName)))
            throw new PipelineException($"Model folder {folder} is incomplete: {HeadFileName} is missing.");
        try
        {
            var manifest = JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(manifestPath), PipelineJson.Options)
                           ?? throw new JsonException("empty document");
            if (manifest.Format != ModelManifest.CurrentFormat)
                throw new PipelineException($"Model {folder} has format {manifest.Format}; this build reads {ModelManifest.CurrentFormat}.");
            if (manifest.Labels.Count < 2)
                throw new PipelineException($"Model {folder} is corrupt: it lists {manifest.Labels.Count} label(s).");
            return manifest;
        }
        catch (JsonException e)
        {
            throw new PipelineException($"Model {folder} is corrupt: {ManifestFileName} is not valid ({e.Message}).", e);
        }
    }
}
