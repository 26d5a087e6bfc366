namespace Pipeline.Images;

/// <summary>How a decoded image is fitted to the target size.</summary>
public enum ResizeMode
{
    /// <summary>Scale each axis independently to fill the target; the aspect ratio may change.</summary>
    Stretch,

    /// <summary>Keep the aspect ratio, scale to fit inside the target and letterbox with the background colour.</summary>
    Pad,

    /// <summary>
    /// As <see cref="Pad"/>, after cutting away the margin of background colour around the content
    /// (<see cref="ContentBounds"/>), so a drawing fills the input whatever margin its file was drawn with.
    /// </summary>
    TrimAndPad,
}
