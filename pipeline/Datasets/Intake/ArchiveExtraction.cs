using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Datasets.Intake;

/// <summary>What extracting a dropped archive gave.</summary>
/// <param name="Root">
/// The folder that holds the label folders: the extraction folder, or its single top folder when every entry sat
/// under one folder that itself holds only folders.
/// </param>
/// <param name="Skipped">Entries not extracted (unsafe path, link, too large), by their name in the archive.</param>
/// <param name="Refusal">Set when the whole archive is refused (a zip bomb, a corrupt archive); nothing is kept then.</param>
public sealed record ArchiveExtraction(string Root, IReadOnlyList<RejectedFile> Skipped, string? Refusal = null)
{
    [MemberNotNullWhen(true, nameof(Refusal))]
    public bool IsRefused => Refusal is not null;
}
