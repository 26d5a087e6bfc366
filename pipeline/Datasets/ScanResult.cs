namespace Pipeline.Datasets;

/// <summary>What a labelled folder holds. Every file found is in exactly one of the two lists.</summary>
/// <param name="Images">Usable images, unique by content, sorted by path (ordinal).</param>
/// <param name="Rejected">Files not used and why, sorted by path (ordinal).</param>
/// <param name="Labels">Labels that have at least one usable image, sorted (ordinal).</param>
public sealed record ScanResult(IReadOnlyList<LabelledImage> Images, IReadOnlyList<RejectedFile> Rejected, IReadOnlyList<string> Labels);
