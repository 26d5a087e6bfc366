using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Progress;
using Pipeline.Registry;

namespace Pipeline.Evaluation;

/// <summary>
/// The one way a model is scored on held-out images, used for a candidate's test figures and for both sides of the
/// champion/challenger comparison: featurise through the model's own featuriser (and the feature cache), score with
/// its head. An image that does not decode is a miss for whichever model meets it, never left out for one only.
/// </summary>
public static class HeldOutScoring
{
    public static async Task<HeldOutScores> ScoreAsync(this ClassifierModel model, IReadOnlyList<LabelledImage> images,
        FeatureCache? cache, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var ordered = images.DistinctBy(i => i.Sha256).OrderBy(i => i.Sha256, StringComparer.Ordinal).ToList();
        var features = await model.Featurizer.FeaturizeAsync(ordered, cache, ImageView.Original, progress, ct);
        var scored = new List<ScoredImage>(ordered.Count);
        foreach (var image in ordered)
        {
            if (!features.BySha256.TryGetValue(image.Sha256, out var vector))
            {
                scored.Add(new ScoredImage(image.Sha256, image.Label, null, null));
                continue;
            }

            var scores = model.Score(vector);
            scored.Add(new ScoredImage(image.Sha256, image.Label, model.Labels[ClassificationMetrics.ArgMax(scores)], scores));
        }

        return new HeldOutScores(model.Labels, scored);
    }
}
