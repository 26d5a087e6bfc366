using Pipeline.Evaluation;
using Pipeline.Training;

namespace Pipeline.Retraining;

/// <summary>A whole training run from a labelled folder (the CLI's <c>train</c>): which architectures, how to split, how to choose.</summary>
public sealed record TrainingRunOptions
{
    public required string DataFolder { get; init; }
    public required string OutputFolder { get; init; }

    /// <summary>Architectures to train; empty means every offline backbone in the catalog.</summary>
    public IReadOnlyList<string> Architectures { get; init; } = [];

    public int Seed { get; init; } = 42;
    public double TestFraction { get; init; } = 0.25;
    public int MinImagesPerLabel { get; init; } = 4;
    public HeadOptions Head { get; init; } = HeadOptions.Default;
    public CrossValidationOptions CrossValidation { get; init; } = CrossValidationOptions.Default;
    public SelectionRule Selection { get; init; } = SelectionRule.Default;
    public bool CombineBest { get; init; } = true;

    public RetrainOptions ToRetrainOptions() => new()
    {
        Seed = Seed,
        TestFraction = TestFraction,
        MinImagesPerLabel = MinImagesPerLabel,
        Head = Head,
        CrossValidation = CrossValidation,
        Selection = Selection,
        CombineBest = CombineBest,
    };
}
