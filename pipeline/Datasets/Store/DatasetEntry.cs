namespace Pipeline.Datasets.Store;

/// <summary>One image of a dataset version: its content hash (which names the stored file) and its label.</summary>
public sealed record DatasetEntry(string Sha256, string Label, string Format, int Width, int Height)
{
    public static DatasetEntry From(LabelledImage image) =>
        new(image.Sha256, image.Label, image.Format, image.Width, image.Height);
}
