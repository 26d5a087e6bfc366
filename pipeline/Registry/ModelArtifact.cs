using System.Text.Json;
using Microsoft.ML;
using Pipeline.Backbones;
using Pipeline.Training;
using Pipeline.Storage;

namespace Pipeline.Registry;

/// <summary>
/// Reads and writes model folders. A folder is written under a temporary name, manifest last, and renamed into place,
/// so a crash can never leave a half-written model where anything would load it.
/// </summary>
public static class ModelArtifact
{
    public const string ManifestFileName = "model.json";
    public const string HeadFileName = "head.zip";

    public static async Task SaveAsync(string folder, ModelManifest manifest, MLContext ml, ITransformer head,
        CancellationToken ct = default)
    {
        folder = Path.GetFullPath(folder);
        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(folder)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            await using (var stream = File.Create(Path.Combine(staging, HeadFileName)))
                HeadTrainer.Save(ml, head, manifest.HeadInputLength(), stream);
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
