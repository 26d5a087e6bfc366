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

    /// <summary>The head fitted on the train part only, beside a refitted <see cref="HeadFileName"/> (see <see cref="ModelHead.Gate"/>).</summary>
    public const string GateHeadFileName = "gate-head.zip";
    public const string BackboneFileName = "backbone.onnx";
    public const string BackboneDescriptorFileName = "backbone.json";

    /// <summary>The sub-folder where <c>train --out OUT</c> puts the chosen model.</summary>
    public const string TrainOutputModelFolder = "model";

    /// <summary>
    /// The file of the backbone at <paramref name="index"/> of <see cref="ModelManifest.AllBackbones"/>:
    /// <c>backbone.onnx</c> for the first (every single-backbone model), <c>backbone-1.onnx</c>... for the further
    /// backbones of a combined model.
    /// </summary>
    public static string BackboneFile(int index) => index == 0 ? BackboneFileName : $"backbone-{index}.onnx";

    /// <summary>The descriptor beside <see cref="BackboneFile"/>.</summary>
    public static string BackboneDescriptorFile(int index) => index == 0 ? BackboneDescriptorFileName : $"backbone-{index}.json";

    /// <param name="backbones">
    /// The backbones the head was trained on, in the manifest's order (<see cref="ModelManifest.AllBackbones"/>); their
    /// ONNX files are linked or copied into the folder.
    /// </param>
    public static async Task SaveAsync(string folder, ModelManifest manifest, MLContext ml, ITransformer head,
        IReadOnlyList<PreparedBackbone> backbones, CancellationToken ct = default)
    {
        var pinned = manifest.AllBackbones();
        if (backbones.Count != pinned.Count || backbones.Where((b, i) => b.Descriptor.Sha256 != pinned[i].Sha256).Any())
            throw new ArgumentException("The backbones are not the ones the manifest pins, in its order.", nameof(backbones));

        await WriteFolderAsync(folder, async staging =>
        {
            for (var i = 0; i < backbones.Count; i++)
            {
                if (backbones[i].OnnxPath is not { } onnx) continue; // raw pixels: nothing to carry
                FileLink.LinkOrCopy(onnx, Path.Combine(staging, BackboneFile(i)));
                await File.WriteAllTextAsync(Path.Combine(staging, BackboneDescriptorFile(i)),
                    JsonSerializer.Serialize(backbones[i].Descriptor, PipelineJson.Options), ct);
            }

            await using (var stream = File.Create(Path.Combine(staging, HeadFileName)))
                HeadTrainer.Save(ml, head, manifest.HeadInputLength(), stream);
            await File.WriteAllTextAsync(Path.Combine(staging, ManifestFileName),
                JsonSerializer.Serialize(manifest, PipelineJson.Options), ct);
        });
    }

    /// <summary>
    /// Gives a saved model folder a refitted head to serve: its current <c>head.zip</c> becomes <c>gate-head.zip</c>
    /// (kept for every held-out comparison), <paramref name="servedHead"/> becomes <c>head.zip</c>, and the manifest
    /// (which says so in <see cref="Evaluation.CandidateReport.ServedHead"/>) is rewritten last. Done on a copy of the
    /// folder (files hard-linked where possible) renamed into place, so a crash leaves the one-head folder or the
    /// two-head folder, never a mix.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder already has a gate head.</exception>
    public static async Task SaveServedHeadAsync(string folder, ModelManifest manifest, MLContext ml, ITransformer servedHead,
        CancellationToken ct = default)
    {
        folder = Path.GetFullPath(folder);
        if (File.Exists(Path.Combine(folder, GateHeadFileName)))
            throw new InvalidOperationException($"Model {folder} already has a {GateHeadFileName}; its gate head is never replaced.");
        await WriteFolderAsync(folder, async staging =>
        {
            foreach (var file in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(file);
                if (name == ManifestFileName) continue;
                FileLink.LinkOrCopy(file, Path.Combine(staging, name == HeadFileName ? GateHeadFileName : name));
            }

            await using (var stream = File.Create(Path.Combine(staging, HeadFileName)))
                HeadTrainer.Save(ml, servedHead, manifest.HeadInputLength(), stream);
            await File.WriteAllTextAsync(Path.Combine(staging, ManifestFileName),
                JsonSerializer.Serialize(manifest, PipelineJson.Options), ct);
        });
    }

    /// <summary>
    /// Fills a staging folder beside <paramref name="folder"/> (<paramref name="fill"/> writes the manifest last) and
    /// renames it into place, replacing an older folder of the same name without a window where neither exists.
    /// </summary>
    private static async Task WriteFolderAsync(string folder, Func<string, Task> fill)
    {
        folder = Path.GetFullPath(folder);
        var parent = Path.GetDirectoryName(folder)!;
        Directory.CreateDirectory(parent);
        var staging = AtomicFile.TempPathFor(folder);
        Directory.CreateDirectory(staging);
        try
        {
            await fill(staging);
            // Replaces an older folder of the same name with no moment where the name is missing.
            AtomicFolder.Publish(staging, folder);
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

    /// <summary>True when the folder needs nothing outside itself: every backbone is inside, or has no file (raw pixels).</summary>
    public static bool IsSelfContained(string folder, ModelManifest manifest) =>
        manifest.AllBackbones().Select((b, i) => b.Sha256.Length == 0 || File.Exists(Path.Combine(folder, BackboneFile(i)))).All(x => x);

    /// <summary>Every backbone the model reads, in feature order (see <see cref="LoadBackboneAsync"/>).</summary>
    public static async Task<IReadOnlyList<PreparedBackbone>> LoadBackbonesAsync(string folder, ModelManifest manifest,
        BackboneStore? backbones, CancellationToken ct = default)
    {
        var loaded = new List<PreparedBackbone>();
        for (var i = 0; i < manifest.AllBackbones().Count; i++)
            loaded.Add(await LoadBackboneAsync(folder, manifest, backbones, i, ct));
        return loaded;
    }

    /// <summary>
    /// The backbone the model was trained on: the folder's own, checked against the SHA-256 the manifest pins; for a
    /// folder written before models carried their backbone, the one in <paramref name="backbones"/> (prepared if needed).
    /// </summary>
    /// <param name="backbones">Only needed for folders without a backbone inside; may be null otherwise.</param>
    /// <exception cref="PipelineException">The backbone is missing or is not the one the model was trained on.</exception>
    /// <param name="index">Which of <see cref="ModelManifest.AllBackbones"/>; 0 is the only one of a single-backbone model.</param>
    public static async Task<PreparedBackbone> LoadBackboneAsync(string folder, ModelManifest manifest,
        BackboneStore? backbones, int index = 0, CancellationToken ct = default)
    {
        var pinned = manifest.AllBackbones()[index];
        // The raw-pixel baseline has no file; its descriptor in the manifest is all it needs.
        if (pinned.Sha256.Length == 0) return new PreparedBackbone(pinned, null);
        var onnx = Path.Combine(Path.GetFullPath(folder), BackboneFile(index));
        if (File.Exists(onnx))
        {
            var sha256 = await AtomicFile.Sha256Async(onnx, ct);
            if (sha256 != pinned.Sha256)
                throw new PipelineException(
                    $"Model {folder} is corrupt: its {BackboneFile(index)} has SHA-256 {sha256}, but the model was trained on " +
                    $"{pinned.Name} with SHA-256 {pinned.Sha256}.");
            return new PreparedBackbone(pinned, onnx);
        }

        if (backbones is null)
            throw new PipelineException(
                $"Model {folder} has no {BackboneFile(index)} inside (it predates self-contained model folders); " +
                $"give a data root that holds the {pinned.Name} backbone.");
        var taps = pinned.Taps.Select(t => t.Layer).ToList();
        var backbone = backbones.TryFind(pinned.Name, taps) ?? await backbones.PrepareAsync(pinned.Name, taps, ct: ct);
        if (backbone.Descriptor.Sha256 != pinned.Sha256 || backbone.Descriptor.FeatureLength != pinned.FeatureLength)
            throw new PipelineException(
                $"Model {folder} was trained on {pinned.Name} with SHA-256 {pinned.Sha256}, but the prepared backbone has " +
                $"{backbone.Descriptor.Sha256}. Prepare the same backbone version or retrain.");
        return backbone;
    }

    /// <summary>
    /// A trained head: label to key, standardisation, the multiclass model. <see cref="ModelHead.Served"/> is
    /// <c>head.zip</c>; <see cref="ModelHead.Gate"/> is <c>gate-head.zip</c>, or <c>head.zip</c> in a folder with one head.
    /// </summary>
    /// <exception cref="PipelineException">The head cannot be loaded.</exception>
    public static async Task<ITransformer> LoadHeadAsync(string folder, MLContext ml, ModelHead which = ModelHead.Served,
        CancellationToken ct = default)
    {
        var file = which == ModelHead.Gate && File.Exists(Path.Combine(folder, GateHeadFileName)) ? GateHeadFileName : HeadFileName;
        try
        {
            await using var stream = File.OpenRead(Path.Combine(folder, file));
            ct.ThrowIfCancellationRequested();
            return ml.Model.Load(stream, out _);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or IOException)
        {
            throw new PipelineException($"Model {folder} is corrupt: {file} cannot be loaded ({e.Message}).", e);
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
