namespace Pipeline.Training;

/// <summary>How candidates are cross-validated on the train part (defaults measured in docs/BACKBONES.md).</summary>
public sealed record CrossValidationOptions
{
    /// <summary>Folds (k). Fewer when the train part has fewer distinct images. At least 2.</summary>
    public int Folds { get; init; } = 5;

    /// <summary>
    /// L2 values of the head tried inside the folds; the best mean wins. Features are standardised, so one grid fits
    /// every backbone: small sets want more regularisation, large ones less.
    /// </summary>
    public IReadOnlyList<float> L2Grid { get; init; } = [1f, 10f, 30f, 100f];

    /// <summary>
    /// Train on horizontally mirrored copies too (training folds and the final fit only; never validation or test).
    /// Off by default: on the openclipart sample cross-validation showed no gain (docs/BACKBONES.md).
    /// </summary>
    public bool MirrorAugmentation { get; init; }

    /// <summary>
    /// Train on scaled and mirrored views of every training image too (<see cref="Features.ImageViewGeometry.Augmenting"/>:
    /// the content at 0.75 and 1.3 of its fitted size, and the mirror; training folds and the final fit only). Auto:
    /// each candidate's cross-validation compares with and without (<see cref="ViewGate"/>). Costs featurisation of
    /// three more views per image (cached) and fits on four times the rows. Off by default: measured +0.029 macro on
    /// unseen emoji vendors, but about twice the warm retrain time and four times the cold featurisation, over the
    /// loop-in-seconds budgets (docs/BACKBONES.md, "Scaled views"); <c>Auto</c> is one setting away.
    /// </summary>
    public ViewChoice TrainingViews { get; init; } = ViewChoice.Off;

    /// <summary>
    /// Average the predicted probabilities over the original and the same views at test time (predict, evaluate,
    /// export). Auto: cross-validation decides, tried with training views only (<see cref="ViewGate"/>). Off by default:
    /// a model that averages runs its backbone on four views per image, several times the predict latency the issue
    /// allows (docs/BENCHMARKS.md section 8), and its ML.NET export is refused.
    /// </summary>
    public ViewChoice TestTimeAveraging { get; init; } = ViewChoice.Off;

    /// <summary>
    /// Train the final fits (the gate head and the served head) on a greyscale and an outline view of every training
    /// image too (<see cref="Features.ImageStyleViews"/>), so a drawing in a style no training image shows (line art,
    /// a monochrome set) still finds its label. Not cross-validated: folds hold the training images' own style, where
    /// these views change little, so they would only triple the fold fits.
    /// </summary>
    public bool StyleViews { get; init; } = StyleViewsByDefault;

    /// <summary>
    /// The default of <see cref="StyleViews"/>: on. On five proxies the chosen model's holdout macro accuracy moved by
    /// +0.017 (colour emoji to line drawings), +0.054 (colour emoji to a font's black glyphs), +0.001 (unseen emoji
    /// vendors), +0.010 (unseen card decks) and +0.009 (clip art), never down, for ×1.0-1.6 the warm retrain time
    /// (docs/BACKBONES.md, "Style views").
    /// </summary>
    public const bool StyleViewsByDefault = true;

    /// <summary>
    /// Fold by design group when the images carry groups (drops in the service, <c>train --group-by</c> in the CLI), so
    /// no group is on both sides of a fold; stratified folds otherwise (<see cref="FoldAssignment"/>). On by default:
    /// on the cross-design proxies of docs/BACKBONES.md grouped folds ranked candidates as unseen designs do.
    /// </summary>
    public bool GroupFolds { get; init; } = true;

    public static CrossValidationOptions Default { get; } = new();

    /// <summary>Throws, naming the property, when an option is out of range: a configuration bug.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Folds, 2, nameof(Folds));
        if (L2Grid.Count == 0 || L2Grid.Any(l2 => !(l2 >= 0)))
            throw new ArgumentOutOfRangeException(nameof(L2Grid), string.Join(",", L2Grid), "Needs at least one L2 value, each >= 0.");
    }
}
