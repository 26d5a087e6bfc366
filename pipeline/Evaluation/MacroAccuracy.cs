namespace Pipeline.Evaluation;

/// <summary>
/// Macro accuracy from predicted labels alone, for models that are scored as black boxes (the serving champion on a
/// newer split): the mean over <c>labels</c> of per-label recall, labels without test images left out.
/// </summary>
/// <remarks>
/// A model that does not know one of the labels can never predict it, so its recall on that label is 0: a champion
/// trained before a label existed counts as worse on exactly the labels it does not know. Predictions of labels outside
/// <c>labels</c> (ones the new dataset no longer has) are simply wrong.
/// </remarks>
public static class MacroAccuracy
{
    /// <param name="labels">The label set the accuracy is taken over (the new split's labels).</param>
    /// <param name="predictions">Each test image's true label and the predicted one (null when it could not be scored).</param>
    public static double Compute(IReadOnlyList<string> labels, IReadOnlyList<(string Actual, string? Predicted)> predictions)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predictions);
        var recalls = labels
            .Select(label => predictions.Where(p => p.Actual == label).ToList())
            .Where(images => images.Count > 0)
            .Select(images => (double)images.Count(p => p.Predicted == p.Actual) / images.Count)
            .ToList();
        return recalls.Count == 0 ? 0 : recalls.Average();
    }
}
