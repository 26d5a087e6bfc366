namespace Pipeline.Datasets.Store;

/// <summary>
/// An immutable, numbered snapshot of the dataset: every image it holds with its label. Versions are cumulative:
/// each holds the previous version's images plus what its source (usually a drop) added.
/// </summary>
public sealed record DatasetVersion
{
    public required int Version { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }

    /// <summary>What produced this version, e.g. <c>drop:20261129-150312-ab12cd</c>; used to make ingestion idempotent.</summary>
    public required string Source { get; init; }

    /// <summary>How many images this version added to the previous one.</summary>
    public required int Added { get; init; }

    /// <summary>Corrections this version made to the previous one (a deleted or relabelled image); empty for a drop.</summary>
    public IReadOnlyList<DatasetChange> Changes { get; init; } = [];

    /// <summary>Sorted by hash (ordinal).</summary>
    public required IReadOnlyList<DatasetEntry> Images { get; init; }

    public IReadOnlyList<string> Labels => Images.Select(i => i.Label).Distinct().Order(StringComparer.Ordinal).ToList();
}
