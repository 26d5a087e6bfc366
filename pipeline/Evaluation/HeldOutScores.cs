namespace Pipeline.Evaluation;

/// <summary>
/// How one model did on held-out images, image by image (ordered by SHA-256, so two models' scores on the same images
/// line up for a paired comparison).
/// </summary>
/// <param name="ModelLabels">The label order of each image's <see cref="ScoredImage.Scores"/>.</param>
public sealed record HeldOutScores(IReadOnlyList<string> ModelLabels, IReadOnlyList<ScoredImage> Images)
{
    /// <summary>
    /// Mean per-label recall over <paramref name="labels"/> (the split's labels), labels without images left out. A
    /// model that does not know a label never predicts it, so it scores 0 on that label; predicting a label outside
    /// <paramref name="labels"/> is simply wrong.
    /// </summary>
    public double MacroAccuracy(IReadOnlyList<string> labels) =>
        PerLabelRecall.MacroAverage(Images.Select(i => (i.Actual, i.Correct)), labels);

    /// <summary>Every metric; only for a model whose labels are the split's labels (a candidate of this retrain).</summary>
    public ClassificationMetrics Metrics() =>
        ClassificationMetrics.Compute(ModelLabels, Images.Select(i => (i.Actual, i.Scores)).ToList());
}
