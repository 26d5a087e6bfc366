using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Datasets;

/// <summary>
/// Train and test images, disjoint by content, with every input image in exactly one of Train, Test or Excluded.
/// </summary>
/// <param name="Train">Training images, sorted by path (ordinal).</param>
/// <param name="Test">Held-out images, sorted by path (ordinal).</param>
/// <param name="Excluded">Images not used, each with the reason, sorted by path (ordinal).</param>
/// <param name="Labels">Labels with enough images to take part, sorted (ordinal).</param>
/// <param name="Error">
/// Set when no classifier can be trained (fewer than two labels qualify); Train and Test are then empty and every
/// image is in Excluded.
/// </param>
public sealed record DatasetSplit(
    IReadOnlyList<LabelledImage> Train,
    IReadOnlyList<LabelledImage> Test,
    IReadOnlyList<RejectedFile> Excluded,
    IReadOnlyList<string> Labels,
    string? Error = null)
{
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsUsable => Error is null;
}
