using Pipeline.Features;

namespace Pipeline.Training;

/// <summary>
/// The extra views of training images (<see cref="ImageViewGeometry.Augmenting"/>) as one cross-validation trial or fit
/// uses them: their features by view and content hash, whether their rows join the fit (training folds and the final
/// fit only, never validation), and whether validation averages the probabilities over the original and these views
/// (test-time averaging). Views are keyed by their image's hash, so they follow their image into its fold.
/// </summary>
public sealed record ViewFeatures(IReadOnlyDictionary<ImageView, IReadOnlyDictionary<string, float[]>> ByView, bool Train, bool Average)
{
    /// <summary>The views whose rows join the fit, in <see cref="ImageViewGeometry.Augmenting"/> order.</summary>
    public IReadOnlyList<ImageView> TrainedViews => Train ? ImageViewGeometry.Augmenting.Where(ByView.ContainsKey).ToList() : [];

    /// <summary>
    /// The rows of a fit: the originals, then a mirrored copy of each (when <paramref name="mirrored"/> is given), then,
    /// when <paramref name="views"/> train, each view of each, view by view. Same label as the original.
    /// </summary>
    public static List<FeatureRow> FitRows(IReadOnlyList<(string Sha256, FeatureRow Row)> rows,
        IReadOnlyDictionary<string, float[]>? mirrored, ViewFeatures? views)
    {
        var result = CrossValidator.WithMirrored(rows, mirrored);
        if (views is null) return result;
        foreach (var view in views.TrainedViews)
        {
            var features = views.ByView[view];
            foreach (var (sha, row) in rows)
                if (features.TryGetValue(sha, out var vector))
                    result.Add(new FeatureRow { Label = row.Label, Features = vector });
        }

        return result;
    }

    /// <summary>
    /// Appends to <paramref name="fitRows"/> a row of each of <paramref name="styleViews"/> of each image of
    /// <paramref name="rows"/> that has one, view by view, with the original's label (the style views of a final fit).
    /// </summary>
    public static List<FeatureRow> WithStyleViews(List<FeatureRow> fitRows, IReadOnlyList<(string Sha256, FeatureRow Row)> rows,
        IReadOnlyDictionary<ImageView, IReadOnlyDictionary<string, float[]>> styleViews)
    {
        foreach (var view in ImageStyleViews.All)
        {
            if (!styleViews.TryGetValue(view, out var features)) continue;
            foreach (var (sha, row) in rows)
                if (features.TryGetValue(sha, out var vector))
                    fitRows.Add(new FeatureRow { Label = row.Label, Features = vector });
        }

        return fitRows;
    }

    /// <summary>
    /// The probabilities of an image: <paramref name="score"/> of its original, or, when averaging, the mean over the
    /// original and every view that has features.
    /// </summary>
    public float[] Score(string sha256, float[] original, Func<float[], float[]> score)
    {
        if (!Average) return score(original);
        var probabilities = new List<float[]> { score(original) };
        foreach (var view in ImageViewGeometry.Augmenting)
            if (ByView.TryGetValue(view, out var features) && features.TryGetValue(sha256, out var vector))
                probabilities.Add(score(vector));
        return Evaluation.ClassificationMetrics.MeanOf(probabilities);
    }
}
