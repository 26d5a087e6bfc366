namespace Pipeline.Datasets.Intake;

/// <summary>What a drop holds, file by file. Paths are relative to the drop (<c>cat/a.png</c>).</summary>
/// <param name="Accepted">New images for the dataset, unique by content, sorted by path.</param>
/// <param name="Duplicates">Images the dataset already holds under the same label: nothing to add, nothing wrong.</param>
/// <param name="Rejected">Files that cannot be used, each with the reason; they go to quarantine.</param>
public sealed record DropValidation(
    IReadOnlyList<AcceptedImage> Accepted,
    IReadOnlyList<RejectedFile> Duplicates,
    IReadOnlyList<RejectedFile> Rejected)
{
    public IReadOnlyList<string> Labels => Accepted.Select(a => a.Image.Label).Distinct().Order(StringComparer.Ordinal).ToList();
}
