using Pipeline.Evaluation;

namespace Pipeline.Training;

/// <summary>
/// The previous fit of a candidate, as its model folder records it (<c>model.json</c> and the gate head): what it was
/// fitted on and what its cross-validation chose. <see cref="IncrementalReuse"/> decides whether that choice stands.
/// </summary>
public sealed record PreviousFit
{
    /// <summary>The model folder it was read from, named in the report.</summary>
    public required string Folder { get; init; }

    /// <summary>The backbones' feature keys, in feature order: equal keys mean equal features for an image.</summary>
    public required IReadOnlyList<string> FeatureKeys { get; init; }

    public required IReadOnlyList<string> Labels { get; init; }
    public required int Seed { get; init; }
    public required double TestFraction { get; init; }

    /// <summary>SHA-256 of the images of its train part.</summary>
    public required IReadOnlyList<string> TrainImages { get; init; }

    /// <summary>
    /// Train images the cross-validation behind its L2 ran on: its own train part, or fewer when it reused an earlier
    /// choice in turn. Kept so that many small increments cannot add up to a large one without a new search.
    /// </summary>
    public required int CrossValidatedTrainImages { get; init; }

    public required string Trainer { get; init; }
    public CrossValidationReport? CrossValidation { get; init; }

    /// <summary>Its gate head (fitted on its train part only), the warm start of the next fit; null when not linear.</summary>
    public HeadStart? GateHead { get; init; }
}
