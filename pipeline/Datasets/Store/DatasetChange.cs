namespace Pipeline.Datasets.Store;

/// <summary>
/// A correction a person made to the dataset: an image deleted (<see cref="NewLabel"/> null) or moved from
/// <see cref="Label"/> to <see cref="NewLabel"/>. Recorded in the version it produced, so every version says why it
/// differs from the one before.
/// </summary>
public sealed record DatasetChange(string Sha256, string Label, string? NewLabel)
{
    public bool IsDelete => NewLabel is null;

    public override string ToString() => IsDelete ? $"deleted {Sha256[..12]} ({Label})" : $"moved {Sha256[..12]} from {Label} to {NewLabel}";
}
