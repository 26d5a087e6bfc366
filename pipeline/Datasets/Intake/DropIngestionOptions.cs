namespace Pipeline.Datasets.Intake;

/// <summary>Knobs of <see cref="DropIngestor"/>.</summary>
public sealed record DropIngestionOptions
{
    public ArchiveLimits Archive { get; init; } = ArchiveLimits.Default;

    /// <summary>
    /// The split rule (labels need <see cref="SplitOptions.MinImagesPerLabel"/> images) the drop's note is judged by:
    /// the retrain's own, so the note says what the retrain will do. Hosts pass their configured one.
    /// </summary>
    public SplitOptions Split { get; init; } = new();

    /// <summary>How each file is checked. Default: two files at a time, so ingestion leaves a core to the service.</summary>
    public ScanOptions Scan { get; init; } = new() { MaxDegreeOfParallelism = 2 };
}
