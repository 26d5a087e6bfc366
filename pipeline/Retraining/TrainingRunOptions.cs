namespace Pipeline.Retraining;

/// <summary>A whole training run from a labelled folder (the CLI's <c>train</c>): which folder and architectures, and the retrain's knobs.</summary>
public sealed record TrainingRunOptions
{
    public required string DataFolder { get; init; }
    public required string OutputFolder { get; init; }

    /// <summary>Architectures to train; empty means every offline backbone in the catalog.</summary>
    public IReadOnlyList<string> Architectures { get; init; } = [];

    /// <summary>
    /// The design group of each image from its file name (<c>--group-by</c>), so cross-validation folds never share a
    /// group with their training part; null: no groups, stratified folds.
    /// </summary>
    public Datasets.FileNameGroupKey? GroupBy { get; init; }

    /// <summary>Split, folds, head, selection: the same knobs the service binds from its configuration.</summary>
    public RetrainOptions Retrain { get; init; } = new();
}
