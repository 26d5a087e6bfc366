using System.Collections.Concurrent;
using Pipeline.Datasets.Store;
using Pipeline.Evaluation;
using Pipeline.Registry;

namespace Pipeline.Service.Models;

/// <summary>One test image a model got wrong: its true label, what the model said, and the score it gave that.</summary>
public sealed record Mistake(string Sha256, string Actual, string Predicted, double Score);

/// <summary>
/// A model version's mistakes on its own test split: the test images (by hash, from its lineage) scored through
/// <see cref="HeldOutScoring"/>, the one scoring path, whose features come from the feature cache that its evaluation
/// filled, so this is a head pass, not a featurisation. Kept per version: a model and its test split never change.
/// </summary>
public sealed class ModelMistakes(ModelRegistry registry, DatasetStore datasets, PipelineEnvironment pipeline)
{
    private readonly ConcurrentDictionary<int, Lazy<Task<IReadOnlyList<Mistake>?>>> _byVersion = new();

    /// <returns>The mistakes, most confident first; null when the version or its dataset version is unknown.</returns>
    public async Task<IReadOnlyList<Mistake>?> GetAsync(int version, CancellationToken ct)
    {
        // Scored once per version, whoever asks first; not cancelled by that request, since others wait on it too.
        var scoring = _byVersion.GetOrAdd(version, v => new Lazy<Task<IReadOnlyList<Mistake>?>>(() => ScoreAsync(v, CancellationToken.None)));
        try
        {
            var mistakes = await scoring.Value.WaitAsync(ct);
            // A version that is not there yet may be registered later: only an answer is kept.
            if (mistakes is null) _byVersion.TryRemove(new KeyValuePair<int, Lazy<Task<IReadOnlyList<Mistake>?>>>(version, scoring));
            return mistakes;
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _byVersion.TryRemove(new KeyValuePair<int, Lazy<Task<IReadOnlyList<Mistake>?>>>(version, scoring));
            throw;
        }
    }

    private async Task<IReadOnlyList<Mistake>?> ScoreAsync(int version, CancellationToken ct)
    {
        if (registry.Get(version) is not { } registered ||
            registered.Manifest.Lineage.DatasetVersion is not { } datasetVersion || datasets.Get(datasetVersion) is not { } dataset)
            return null;

        var test = registered.Manifest.Lineage.TestImages.ToHashSet(StringComparer.Ordinal);
        var images = datasets.ImagesOf(dataset).Where(i => test.Contains(i.Sha256)).ToList();
        using var model = await ClassifierModel.LoadAsync(registered.Folder, pipeline.Backbones, pipeline.Sessions, ct);
        // The gate head: the served head was refitted on every image, test images included, so only the gate head's
        // answers on them are mistakes a person can learn from (and they are the figures the model page shows).
        using var gate = await model.LoadGateViewAsync(ct);
        var scores = await gate.ScoreAsync(images, pipeline.Features, ct: ct);
        return scores.Images
            .Where(i => i.Predicted is not null && i.Predicted != i.Actual)
            .Select(i => new Mistake(i.Sha256, i.Actual, i.Predicted!, i.Scores![scores.ModelLabels.ToList().IndexOf(i.Predicted!)]))
            .OrderByDescending(m => m.Score)
            .ToList();
    }
}
