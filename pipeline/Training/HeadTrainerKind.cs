namespace Pipeline.Training;

/// <summary>The ML.NET multiclass trainers offered for the classifier head.</summary>
public enum HeadTrainerKind
{
    /// <summary>L-BFGS multinomial logistic regression: the default, calibrated probabilities, deterministic.</summary>
    LbfgsMaximumEntropy,

    /// <summary>Stochastic dual coordinate ascent maximum entropy (run single-threaded for reproducibility).</summary>
    Sdca,

    /// <summary>LightGBM gradient-boosted trees.</summary>
    LightGbm,
}
