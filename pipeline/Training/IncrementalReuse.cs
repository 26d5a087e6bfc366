using System.Globalization;
using Pipeline.Evaluation;

namespace Pipeline.Training;

/// <summary>
/// Decides whether a candidate's retrain keeps its previous fit's choice (the L2 and mirroring that cross-validation
/// chose) instead of searching again, and whether its final fit may start from the previous gate head's weights.
/// </summary>
/// <remarks>
/// <para>
/// The choice stands when little changed: the same backbones (feature keys), labels in the same order, seed, test
/// fraction, trainer, label weighting (<see cref="LabelBalance"/>) and search settings (L2 grid, folds, mirroring, the view combinations compared); every image of
/// the previous train part is in this one; and the images new since the choice was last cross-validated are at most
/// <see cref="IncrementalReuseOptions.MaxNewFraction"/> of this train part. Anything else runs the full search, and the
/// report says which rule decided.
/// </para>
/// <para>
/// The gate stays honest either way: the previous train part lies inside this one, so neither its L2 (chosen by folds of
/// those images) nor its gate head (fitted on them) has seen an image of this test part. The split keeps old images on
/// their side as a dataset grows (<see cref="Datasets.StratifiedSplitter"/>), so this holds for ordinary drops; an
/// image that moved to test, or was removed, stops the reuse.
/// </para>
/// </remarks>
public sealed record IncrementalReuse(IncrementalReuseOptions Options, PreviousFit? Previous)
{
    /// <summary>Null when there is no previous fit to reuse (the first retrain, or a candidate new to this one).</summary>
    public IncrementalReuseReport? Decide(TrainingPlan plan, IReadOnlyList<string> featureKeys, HeadOptions head,
        CrossValidationOptions crossValidation)
    {
        if (Previous is not { } previous) return null;
        var current = plan.Train.Select(i => i.Sha256).ToHashSet(StringComparer.Ordinal);
        var missing = previous.TrainImages.Count(sha => !current.Contains(sha));
        var added = current.Count - (previous.TrainImages.Count - missing);
        var sameInputs = featureKeys.SequenceEqual(previous.FeatureKeys, StringComparer.Ordinal)
                         && plan.Labels.SequenceEqual(previous.Labels, StringComparer.Ordinal);
        // Warm-starting the final fit needs the same inputs and a previous head that never saw this test part.
        var warm = sameInputs && missing == 0 && previous.GateHead is not null
                   && head.Trainer == HeadTrainerKind.LbfgsMaximumEntropy && previous.Trainer == head.Trainer.ToString();

        IncrementalReuseReport Report(bool reused, string reason, int crossValidated) =>
            new(reused, reason, previous.Folder, previous.TrainImages.Count, added, crossValidated, warm);
        IncrementalReuseReport Search(string reason) => Report(false, "full search: " + reason, current.Count);

        if (!Options.Enabled) return Search("reuse of the previous choice is turned off");
        if (previous.CrossValidation is not { } cv) return Search("the previous fit has no cross-validation to reuse");
        if (!featureKeys.SequenceEqual(previous.FeatureKeys, StringComparer.Ordinal))
            return Search("the backbones' features changed since the previous fit");
        if (!plan.Labels.SequenceEqual(previous.Labels, StringComparer.Ordinal))
            return Search($"the label set changed (previous: {string.Join(", ", previous.Labels)}; now: {string.Join(", ", plan.Labels)})");
        if (previous.Trainer != head.Trainer.ToString())
            return Search($"the head trainer changed ({previous.Trainer} to {head.Trainer})");
        if (cv.BalancedLabels != head.BalanceLabels)
            return Search(head.BalanceLabels
                ? "the labels now differ enough in size to be balanced, and the previous L2 was chosen unweighted"
                : "the labels no longer differ enough in size to be balanced, and the previous L2 was chosen weighted");
        if (previous.Seed != plan.Seed || previous.TestFraction != plan.TestFraction)
            return Search("the seed or test fraction changed, so the split is not the previous one grown");
        if (!cv.Grid.Select(p => p.L2).SequenceEqual(crossValidation.L2Grid) || cv.Folds != plan.Folds.Folds
            || cv.Mirrored != crossValidation.MirrorAugmentation)
            return Search("the search settings (L2 grid, folds or mirroring) changed");
        if (!ViewGate.Trials(crossValidation).ToHashSet().SetEquals(ViewCombinationsTried(cv)))
            return Search("the views settings (training views, test-time averaging) changed");
        if (missing > 0)
            return Search($"{missing} image(s) of the previous train part are not in this one (removed, or moved to the test part)");

        // The train part only grew (checked above), so the images new since the last search are all beyond its count.
        var sinceSearch = current.Count - Math.Min(previous.CrossValidatedTrainImages, current.Count);
        var share = current.Count == 0 ? 0 : (double)sinceSearch / current.Count;
        var limit = Options.MaxNewFraction.ToString("P0", CultureInfo.InvariantCulture);
        var counted = $"{sinceSearch} of {current.Count} train images are new since the L2 was cross-validated " +
                      $"({share.ToString("P1", CultureInfo.InvariantCulture)})";
        if (share > Options.MaxNewFraction) return Search($"{counted}, more than {limit}");

        return Report(true,
            $"reused the previous choice (L2 {cv.L2.ToString(CultureInfo.InvariantCulture)}{(cv.Mirrored ? ", mirrored" : "")}): " +
            $"{counted}, at most {limit}; same labels, backbones and settings" + (warm ? "; warm-started from the previous gate head" : ""),
            previous.CrossValidatedTrainImages);
    }

    /// <summary>The (training views, averaging) combinations the previous search compared; one when the gate had no choice.</summary>
    private static HashSet<(bool Train, bool Average)> ViewCombinationsTried(CrossValidationReport cv) =>
        cv.ViewTrials.Count > 0
            ? cv.ViewTrials.Select(t => (t.TrainingViews, t.TestTimeAveraging)).ToHashSet()
            : [(cv.Views.Count > 0, cv.TestTimeAveraging)];
}
