using Pipeline.Datasets;
using Pipeline.Evaluation;
using Pipeline.Training;

namespace Pipeline.Retraining;

/// <summary>Every knob of a retrain, the same for the CLI and the service (each binds its own settings to this).</summary>
public sealed record RetrainOptions
{
    /// <summary>Seed of the split, the folds, the trainers and the promotion bootstrap.</summary>
    public int Seed { get; init; } = 42;

    public double TestFraction { get; init; } = 0.25;
    public int MinImagesPerLabel { get; init; } = 4;
    public HeadOptions Head { get; init; } = HeadOptions.Default;

    /// <summary>
    /// Balance the head's labels (<see cref="HeadOptions.BalanceLabels"/>) in every fit of a retrain whose images'
    /// largest label has <see cref="LabelBalance.MaterialRatio"/> times the smallest's or more. False: never.
    /// </summary>
    public bool BalanceLabels { get; init; } = true;

    public CrossValidationOptions CrossValidation { get; init; } = CrossValidationOptions.Default;
    public SelectionRule Selection { get; init; } = SelectionRule.Default;

    /// <summary>Also train the combined candidate: the two best single backbones by cross-validation, concatenated.</summary>
    public bool CombineBest { get; init; } = true;

    /// <summary>When a candidate may keep its previous fit's L2 instead of cross-validating again (a small increment).</summary>
    public IncrementalReuseOptions IncrementalReuse { get; init; } = IncrementalReuseOptions.Default;

    public SplitOptions Split => new() { Seed = Seed, TestFraction = TestFraction, MinImagesPerLabel = MinImagesPerLabel };
}
