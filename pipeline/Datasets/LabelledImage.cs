namespace Pipeline.Datasets;

/// <summary>An image file that decoded, with the label of the folder it sits under.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Label">Name of the first-level folder under the scanned root.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file's bytes (see <see cref="ContentHash"/>).</param>
/// <param name="Width">Width stored in the file header.</param>
/// <param name="Height">Height stored in the file header.</param>
/// <param name="Format">Format by content, lowercase: jpeg, png, bmp, gif or webp.</param>
public sealed record LabelledImage(string Path, string Label, string Sha256, int Width, int Height, string Format)
{
    /// <summary>
    /// The design group the image belongs to, when the data says (the drop that added it, or a file-name key given to
    /// <c>train --group-by</c>); null when unknown. Cross-validation never puts one group on both sides of a fold
    /// (<see cref="Training.FoldAssignment"/>).
    /// </summary>
    public string? Group { get; init; }
}
