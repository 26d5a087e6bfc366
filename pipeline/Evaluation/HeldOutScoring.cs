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
        // A model that averages over views is scored so here too, each view through the cache under its own key.
        var views = new List<IReadOnlyDictionary<string, float[]>>();
        foreach (var view in model.Manifest.TestTimeViews)
            views.Add(view == ImageView.Original
                ? features.BySha256
                : (await model.Featurizer.FeaturizeAsync(ordered, cache, view, progress, ct)).BySha256);
        var scored = new List<ScoredImage>(ordered.Count);
        foreach (var image in ordered)
        {
            if (!features.BySha256.TryGetValue(image.Sha256, out var vector))
            {
                scored.Add(new ScoredImage(image.Sha256, image.Label, null, null));
                continue;
            }

            var scores = views.Count == 0
                ? model.Score(vector)
                : model.ScoreViews(views.Select(v => v.TryGetValue(image.Sha256, out var view) ? view : vector).ToList());
            scored.Add(new ScoredImage(image.Sha256, image.Label, model.Labels[ClassificationMetrics.ArgMax(scores)], scores));
        }

        return new HeldOutScores(model.Labels, scored);
    }
}
