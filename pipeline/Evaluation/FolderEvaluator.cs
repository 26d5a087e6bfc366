using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Progress;
using Pipeline.Registry;

namespace Pipeline.Evaluation;

/// <summary>Scores models on a labelled folder they never saw (the CLI's <c>evaluate</c>).</summary>
public static class FolderEvaluator
{
    /// <summary>
    /// Scores <paramref name="model"/> on a scanned folder (<see cref="LabelledFolderScanner.ScanUsableAsync"/>, once for
    /// any number of models) through the same featurise-and-score path that ranks champion and challenger
    /// (<see cref="HeldOutScoring"/>), so its figures compare with a retrain's test figures.
    /// </summary>
    /// <exception cref="PipelineException">The folder has a label the model does not know.</exception>
    public static async Task<FolderEvaluation> EvaluateAsync(ClassifierModel model, ScanResult scan, FeatureCache? cache,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        // A label the model never learnt would make every figure a mix of two questions; say so instead.
        var unknown = scan.Labels.Except(model.Labels, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new PipelineException(
                $"The model does not know the label(s) {string.Join(", ", unknown)}; it knows {string.Join(", ", model.Labels)}.");

        var scores = await model.ScoreAsync(scan.Images, cache, progress, ct);
        return new FolderEvaluation(model.Folder, model.Manifest.Architecture, scores.Metrics(), scan.Rejected, scores.Images);
    }
}
