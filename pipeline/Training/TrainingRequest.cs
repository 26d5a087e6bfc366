using Pipeline.Datasets;

namespace Pipeline.Training;

/// <summary>What one candidate is trained and evaluated on. Every candidate of a run gets the same split.</summary>
public sealed record TrainingRequest
{
    public required IReadOnlyList<LabelledImage> Train { get; init; }
    public required IReadOnlyList<LabelledImage> Test { get; init; }

    /// <summary>The label order of the model's scores.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    public required int Seed { get; init; }
    public required double TestFraction { get; init; }

    /// <summary>For lineage: the folder or dataset the images came from.</summary>
    public required string DataSource { get; init; }

    public int? DatasetVersion { get; init; }
    public HeadOptions Head { get; init; } = HeadOptions.Default;

    /// <summary>Tap layers to use instead of the architecture's defaults.</summary>
    public IReadOnlyList<string>? Taps { get; init; }
}
