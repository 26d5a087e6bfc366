namespace Pipeline.Training;

/// <summary>Every knob of the classifier head, with defaults measured on the openclipart sample (docs/BACKBONES.md).</summary>
public sealed record HeadOptions
{
    public HeadTrainerKind Trainer { get; init; } = HeadTrainerKind.LbfgsMaximumEntropy;

    /// <summary>L2 weight penalty of the linear trainers; features are standardised first, so one value fits all backbones.</summary>
    public float L2Regularization { get; init; } = 10f;

    /// <summary>L1 weight penalty of L-BFGS.</summary>
    public float L1Regularization { get; init; }

    /// <summary>
    /// L-BFGS stops once the relative improvement of the loss falls below this. 1e-5 instead of ML.NET's 1e-7 fits about
    /// 25 % faster with the same test accuracy on both backbones (measurements in docs/BACKBONES.md).
    /// </summary>
    public float OptimizationTolerance { get; init; } = 1e-5f;

    /// <summary>Iteration cap of L-BFGS (and SDCA).</summary>
    public int MaximumIterations { get; init; } = 200;

    /// <summary>
    /// Weight each fit's rows so each label weighs the same in its loss (<see cref="LabelBalance"/>). Off: every row
    /// weighs 1. A retrain turns it on for a whole dataset whose labels are of unequal size
    /// (<see cref="LabelBalance.For"/>), so every fit of that retrain weights alike.
    /// </summary>
    public bool BalanceLabels { get; init; }

    /// <summary>LightGBM boosting rounds.</summary>
    public int LightGbmIterations { get; init; } = 200;

    public static HeadOptions Default { get; } = new();
}
