namespace Pipeline.Datasets.Intake;

/// <summary>
/// The service's account of one drop, kept as <c>intake/&lt;id&gt;.json</c> and returned by <c>GET /api/drops/{id}</c>.
/// File paths are relative to the drop (<c>cat/a.png</c>).
/// </summary>
public sealed record DropRecord
{
    public required string Id { get; init; }

    /// <summary>The folder or file name it arrived under (<c>holiday-photos</c>, <c>cats.zip</c>).</summary>
    public required string Name { get; init; }

    public required DropOrigin Origin { get; init; }
    public required DropState State { get; init; }
    public required DateTimeOffset ReceivedUtc { get; init; }
    public DateTimeOffset UpdatedUtc { get; init; }

    /// <summary>New images added to the dataset.</summary>
    public int Accepted { get; init; }

    /// <summary>Images the dataset already held under the same label.</summary>
    public int Duplicates { get; init; }

    /// <summary>Files quarantined, each listed in <see cref="RejectedFiles"/>.</summary>
    public int Rejected { get; init; }

    /// <summary>Labels of the accepted images, with how many each.</summary>
    public IReadOnlyDictionary<string, int> Labels { get; init; } = new Dictionary<string, int>();

    /// <summary>The dataset version this drop produced; null when it added nothing.</summary>
    public int? DatasetVersion { get; init; }

    /// <summary>Why the whole drop was rejected, or what to know about an ingested one (e.g. a single label).</summary>
    public string? Reason { get; init; }

    /// <summary>Set while an ingestion attempt failed unexpectedly; the drop is tried again at the next start.</summary>
    public string? Error { get; init; }

    public IReadOnlyList<RejectedFile> RejectedFiles { get; init; } = [];
    public IReadOnlyList<RejectedFile> DuplicateFiles { get; init; } = [];

    public bool IsFinished => State is DropState.Ingested or DropState.Rejected;
}
