namespace Pipeline.Datasets.Store;

/// <summary>
/// A correction a person made to the dataset: an image deleted (<see cref="NewLabel"/> null) or moved from
/// <see cref="Label"/> to <see cref="NewLabel"/>. Recorded in the version it produced, so every version says why it
/// differs from the one before.
/// </summary>
public sealed record DatasetChange(string Sha256, string Label, string? NewLabel)
{
    /// <summary>The image's file name (<see cref="DatasetEntry.FileName"/>), so the record reads as people know it; null when unknown.</summary>
    public string? FileName { get; init; }

    public bool IsDelete => NewLabel is null;

    public override string ToString() =>
        (IsDelete ? $"deleted {Sha256[..12]} ({Label})" : $"moved {Sha256[..12]} from {Label} to {NewLabel}") +
        (FileName is null ? "" : $", file {FileName}");
}
