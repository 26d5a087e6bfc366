using Pipeline.Datasets;
using Pipeline.Evaluation;

namespace Pipeline.Retraining;

/// <summary>
/// <c>report.json</c>: every candidate's cross-validation and its evaluation on the same test split, the choice, and
/// what was not used.
/// </summary>
public sealed record TrainingReport
{
    public required string Best { get; init; }
    public required string Explanation { get; init; }
    public required string SelectionRule { get; init; }
    public required string DataFolder { get; init; }
    public required int Seed { get; init; }
    public required double TestFraction { get; init; }

    /// <summary>Cross-validation folds actually used on the train part.</summary>
    public required int Folds { get; init; }

    /// <summary>Whether the folds were grouped by design (<c>--group-by</c>) or stratified, and why.</summary>
    public required Training.FoldScheme FoldScheme { get; init; }

    /// <summary>Whether training folds and final fits also used horizontally mirrored images.</summary>
    public required bool MirrorAugmentation { get; init; }

    /// <summary>
    /// The extra views the chosen model's head was trained on (scaled and mirrored), as its cross-validation decided
    /// (<see cref="Training.ViewGate"/>); empty when none.
    /// </summary>
    public IReadOnlyList<Features.ImageView> TrainingViews { get; init; } = [];

    /// <summary>The style views the chosen model's final fits were trained on too (not cross-validated); empty when none.</summary>
    public IReadOnlyList<Features.ImageView> StyleViews { get; init; } = [];

    /// <summary>The views the chosen model averages its probabilities over (test-time averaging); empty when it does not.</summary>
    public IReadOnlyList<Features.ImageView> TestTimeViews { get; init; } = [];

    /// <summary>
    /// The largest and smallest label's images, and whether the head weighted each label equally because they differ
    /// by <see cref="Training.LabelBalance.MaterialRatio"/> or more.
    /// </summary>
    public required Training.LabelBalanceReport LabelBalance { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }
    public required int TrainImages { get; init; }
    public required int TestImages { get; init; }
    public required IReadOnlyList<CandidateReport> Candidates { get; init; }
    public required IReadOnlyList<RejectedFile> Rejected { get; init; }

    /// <summary>
    /// Folder of the best model (a copy of its candidate folder): it serves <see cref="ServedHead"/>, refitted on all
    /// <see cref="TrainImages"/> + <see cref="TestImages"/>; the candidates' test figures are their gate heads'.
    /// </summary>
    public required string Model { get; init; }

    /// <summary>The head <see cref="Model"/> serves (predict, export): fitted on every image, no held-out figures.</summary>
    public ServedHeadReport? ServedHead { get; init; }
}
