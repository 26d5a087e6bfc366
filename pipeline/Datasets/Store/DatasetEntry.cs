namespace Pipeline.Datasets.Store;

/// <summary>One image of a dataset version: its content hash (which names the stored file) and its label.</summary>
public sealed record DatasetEntry(string Sha256, string Label, string Format, int Width, int Height)
{
    /// <summary>
    /// The source (drop) that added the image, set when it is committed; null in versions written before it was kept.
    /// Drops are the service's design groups: cross-validation never puts one drop on both sides of a fold.
    /// </summary>
    public string? Source { get; init; }

    /// <summary>
    /// The name the image arrived under in its drop, relative to its label folder (<c>IMG_0042.jpg</c>; an upload's
    /// form file name, a zip entry's name), so people can find it again by the name they know. Carried unchanged into
    /// later versions, a move included. Null in versions written before it was kept (those are found by hash only).
    /// </summary>
    /// <remarks>
    /// One name: the store keeps one entry per content, and a drop's copies of one content under two names are
    /// rejected as duplicates, as is the same content in a later drop.
    /// </remarks>
    public string? FileName { get; init; }

    public static DatasetEntry From(LabelledImage image) =>
        new(image.Sha256, image.Label, image.Format, image.Width, image.Height) { FileName = Path.GetFileName(image.Path) };
}
