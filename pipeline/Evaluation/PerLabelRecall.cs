namespace Pipeline.Evaluation;

/// <summary>
/// Macro accuracy, the figure every choice and promotion compares, computed in this one place: the mean over labels of
/// per-label recall, labels without images left out, so every label counts the same however rare.
/// </summary>
public static class PerLabelRecall
{
    /// <param name="outcomes">Each image's true label and whether the model's top label was it (an image that could not
    /// be scored is a miss).</param>
    /// <param name="labels">The labels averaged over, in this order; an image of another label is not counted.</param>
    public static double MacroAverage(IEnumerable<(string Actual, bool Correct)> outcomes, IReadOnlyList<string> labels)
    {
        var byLabel = outcomes.GroupBy(o => o.Actual, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (double)g.Count(o => o.Correct) / g.Count(), StringComparer.Ordinal);
        var recalls = labels.Where(byLabel.ContainsKey).Select(l => byLabel[l]).ToList();
        return recalls.Count == 0 ? 0 : recalls.Average();
    }
}
