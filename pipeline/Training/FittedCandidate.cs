using Microsoft.ML;
using Pipeline.Evaluation;
using Pipeline.Features;

namespace Pipeline.Training;

/// <summary>
/// A candidate's head fitted on the whole train part at its cross-validated L2, with the featuriser it reads from.
/// Not yet scored on the test part, timed or saved: that is done once, on the in-memory model, by the retrain.
/// Owns <see cref="Featurizer"/> until it is handed on.
/// </summary>
public sealed record FittedCandidate
{
    /// <summary>The candidate's name: an architecture, or architectures joined by '+' for a combined candidate.</summary>
    public required string Name { get; init; }

    public required ModelFeaturizer Featurizer { get; init; }
    public required MLContext Ml { get; init; }
    public required ITransformer Head { get; init; }
    public required CrossValidationReport CrossValidation { get; init; }
    public required HeadOptions HeadOptions { get; init; }

    /// <summary>Whether the previous fit's choice was reused instead of cross-validating, and why; null without a previous fit.</summary>
    public IncrementalReuseReport? Reuse { get; init; }

    /// <summary>Distinct training images with features (mirrored copies not counted).</summary>
    public required int TrainImages { get; init; }

    /// <summary>Featurising (cache misses only), cross-validation and the final fit.</summary>
    public required double TrainSeconds { get; init; }

    /// <summary>The original view of the train and test parts: what was computed and what came from the cache.</summary>
    public required FeatureSet Features { get; init; }
}
