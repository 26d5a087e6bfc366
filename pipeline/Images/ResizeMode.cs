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

    /// <summary>
    /// As <see cref="TrimAndPad"/>, where the margin is the colour of the image's border when the border is uniform
    /// (<see cref="MarginColor"/>: tinted paper, a coloured canvas), and the letterbox continues that colour; an image
    /// whose border is white or not uniform is fitted exactly as <see cref="TrimAndPad"/> fits it.
    /// </summary>
    TrimBorderAndPad,
}

public static class ResizeModeExtensions
{
    /// <summary>Whether the mode cuts the image to its content (<see cref="ContentBounds"/>) before fitting it.</summary>
    public static bool TrimsMargin(this ResizeMode mode) => mode is ResizeMode.TrimAndPad or ResizeMode.TrimBorderAndPad;
}
