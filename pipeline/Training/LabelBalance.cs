namespace Pipeline.Training;

/// <summary>
/// Row weights that make every label weigh the same in the head's loss when a dataset's labels differ materially in
/// size. The product selects and reports by macro accuracy (the mean of per-label recalls); an unweighted head trained on
/// 80 pictures of one label and 10 of another leans to the larger one, and its smaller labels' recall pays for it.
/// </summary>
/// <remarks>
/// <para>Measured (docs/BACKBONES.md, "Labels of unequal size"): on emoji and clip-art proxies thinned to 8:1, weighting
/// raised the holdout macro by +0.042 and +0.021.</para>
/// <para>Decided once per retrain, on all its images, not per fit: folds grouped by design leave labels of unequal size
/// in a fold's training part even when the dataset's are equal, and weighting those fits changed nothing but which
/// near-tied candidate cross-validation picked (cards from unseen decks: −0.013 [−0.031, +0.002]).</para>
/// </remarks>
public static class LabelBalance
{
    /// <summary>The largest label's image count over the smallest's from which a retrain balances its labels.</summary>
    public const double MaterialRatio = 2.0;

    /// <summary>Whether <paramref name="labels"/> (one per image) are unequal enough to weight: largest / smallest ≥ <see cref="MaterialRatio"/>.</summary>
    public static bool IsMaterial(IEnumerable<string> labels)
    {
        var (largest, smallest) = Extremes(labels);
        return IsMaterial(largest, smallest);
    }

    /// <summary>Whether a largest and a smallest label of these sizes are unequal enough to weight.</summary>
    public static bool IsMaterial(int largest, int smallest) => smallest > 0 && largest >= MaterialRatio * smallest;

    /// <summary>The head options every fit of a retrain on <paramref name="plan"/> uses: balanced where its images' labels are unequal.</summary>
    public static HeadOptions For(Retraining.RetrainOptions options, TrainingPlan plan)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(plan);
        return options.Head with { BalanceLabels = options.BalanceLabels && IsMaterial(LabelsOf(plan)) };
    }

    /// <summary>One label per distinct image of the plan's train and test parts: what the served head is fitted on.</summary>
    public static IEnumerable<string> LabelsOf(TrainingPlan plan) =>
        plan.Train.Concat(plan.Test).DistinctBy(i => i.Sha256).Select(i => i.Label);

    /// <summary>
    /// The rows with <see cref="FeatureRow.Weight"/> N / (K · n_label) (N rows, K labels, n_label rows of the row's
    /// label: the weights average 1, so the L2 penalty keeps its strength) when <paramref name="enabled"/>
    /// (<see cref="HeadOptions.BalanceLabels"/>); otherwise the rows themselves. Copies share the feature vectors; the
    /// input rows are not changed (folds share them).
    /// </summary>
    public static (IReadOnlyList<FeatureRow> Rows, bool Weighted) Apply(IReadOnlyList<FeatureRow> rows, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (!enabled) return (rows, false);
        var counts = rows.GroupBy(r => r.Label, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var weighted = rows.Select(r => new FeatureRow
        {
            Label = r.Label,
            Features = r.Features,
            Weight = (float)((double)rows.Count / (counts.Count * counts[r.Label])),
        }).ToList();
        return (weighted, true);
    }

    /// <summary>What <c>report.json</c> says of a retrain's images' labels (one per image).</summary>
    public static LabelBalanceReport Describe(IEnumerable<string> labels, bool enabled)
    {
        var (largest, smallest) = Extremes(labels);
        return new LabelBalanceReport(enabled && IsMaterial(largest, smallest), largest, smallest);
    }

    private static (int Largest, int Smallest) Extremes(IEnumerable<string> labels)
    {
        var counts = labels.GroupBy(l => l, StringComparer.Ordinal).Select(g => g.Count()).ToList();
        return counts.Count == 0 ? (0, 0) : (counts.Max(), counts.Min());
    }
}

/// <param name="Weighted">Whether the head's loss weighted each label equally.</param>
/// <param name="LargestLabel">Images of the most frequent label.</param>
/// <param name="SmallestLabel">Images of the least frequent label.</param>
public sealed record LabelBalanceReport(bool Weighted, int LargestLabel, int SmallestLabel);
