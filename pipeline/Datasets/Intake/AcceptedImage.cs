namespace Pipeline.Datasets.Intake;

/// <summary>An image of a drop that goes into the dataset.</summary>
/// <param name="RelativePath">Path under the drop, e.g. <c>cat/a.png</c>.</param>
/// <param name="Image">The validated image; its <see cref="LabelledImage.Path"/> is readable until the drop is moved.</param>
public sealed record AcceptedImage(string RelativePath, LabelledImage Image);
