namespace Pipeline.Datasets.Store;

/// <summary>One image of a dataset version: its content hash (which names the stored file) and its label.</summary>
public sealed record DatasetEntry(string Sha256, string Label, string Format, int Width, int Height)
{
    /// <summary>
    /// The source (drop) that added the image, set when it is committed; null in versions written before it was kept.
    /// Drops are the service's design groups: cross-validation never puts one drop on both sides of a fold.
    /// </summary>
    public string? Source { get; init; }

    public static DatasetEntry From(LabelledImage image) =>
        new(image.Sha256, image.Label, image.Format, image.Width, image.Height);
}
