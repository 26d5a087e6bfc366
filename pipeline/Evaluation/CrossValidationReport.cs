namespace Pipeline.Evaluation;

/// <summary>
/// A candidate's k-fold cross-validation on the train part: macro accuracy per fold at the chosen L2, and every L2 of
/// the grid tried. The chosen L2 is the grid's best by mean, so <see cref="MeanMacroAccuracy"/> is slightly
/// optimistic (the untouched figures are the test split's); it is the same optimism for every candidate.
/// </summary>
public sealed record CrossValidationReport
{
    public required int Folds { get; init; }
    public required float L2 { get; init; }
    public required double MeanMacroAccuracy { get; init; }
    public required double SdMacroAccuracy { get; init; }
    public required IReadOnlyList<double> FoldMacroAccuracy { get; init; }
    public required IReadOnlyList<CrossValidationPoint> Grid { get; init; }

    /// <summary>Whether training folds also held the horizontally mirrored images (validation folds never do).</summary>
    public required bool Mirrored { get; init; }

    /// <summary>
    /// The extra views whose rows joined the training folds (scaled and mirrored, <see cref="Features.ImageViewGeometry"/>);
    /// empty when none did (and in models trained before views).
    /// </summary>
    public IReadOnlyList<Features.ImageView> Views { get; init; } = [];

    /// <summary>
    /// The style views (<see cref="Features.ImageStyleViews"/>) whose rows joined the final fit after cross-validation,
    /// never its folds; empty when none did (and in models trained before style views).
    /// </summary>
    public IReadOnlyList<Features.ImageView> StyleViews { get; init; } = [];

    /// <summary>Whether the validation folds were scored by averaging the probabilities over the views (test-time averaging).</summary>
    public bool TestTimeAveraging { get; init; }

    /// <summary>
    /// Every combination of training views and test-time averaging that cross-validation compared (<see cref="Training.ViewGate"/>),
    /// the chosen one being this report; empty when there was nothing to compare.
    /// </summary>
    public IReadOnlyList<ViewTrial> ViewTrials { get; init; } = [];

    /// <summary>
    /// Whether every fold's head weighted each label equally (<see cref="Training.LabelBalance"/>): the L2 was chosen for
    /// that loss. False in models trained before label balancing, which never weighted.
    /// </summary>
    public bool BalancedLabels { get; init; }

    /// <summary>Whether the folds were grouped by design or stratified, and why (null in models trained before groups).</summary>
    public Training.FoldScheme? FoldScheme { get; init; }

    /// <summary>Wall time of every fold fit of every grid point (features were already computed).</summary>
    public required double Seconds { get; init; }
}

/// <summary>One L2 value of the grid and its cross-validated macro accuracy.</summary>
public sealed record CrossValidationPoint(float L2, double MeanMacroAccuracy, double SdMacroAccuracy);

/// <summary>One combination the view gate cross-validated: its best L2 and mean macro accuracy.</summary>
public sealed record ViewTrial(bool TrainingViews, bool TestTimeAveraging, float L2, double MeanMacroAccuracy, double SdMacroAccuracy);
