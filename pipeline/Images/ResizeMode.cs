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

    /// <summary>
    /// As <see cref="TrimBorderAndPad"/>, and where a margin of another colour than the background was cut, that colour,
    /// wherever it is left in the fitted image (between a drawing's lines, round its edges, the letterbox), is read as the
    /// background (<see cref="PaperWhitening"/>), so a drawing on tinted paper reaches the backbone as it would on white.
    /// An image whose margin is white, whose border is not uniform, from which nothing was cut (a coloured button
    /// filling its frame), or whose content is mostly lighter than the margin (a white glyph on a coloured square, chalk on
    /// a blackboard: <see cref="PaperWhitening.ReadsAsInkOnPaper"/>) is fitted exactly as <see cref="TrimBorderAndPad"/>
    /// fits it.
    /// </summary>
    TrimPaperAndPad,
}

public static class ResizeModeExtensions
{
    /// <summary>Whether the mode cuts the image to its content (<see cref="ContentBounds"/>) before fitting it.</summary>
    public static bool TrimsMargin(this ResizeMode mode) =>
        mode is ResizeMode.TrimAndPad or ResizeMode.TrimBorderAndPad or ResizeMode.TrimPaperAndPad;

    /// <summary>Whether the margin's colour is read from the image's border (<see cref="MarginColor"/>) rather than assumed white.</summary>
    public static bool ReadsMarginColor(this ResizeMode mode) =>
        mode is ResizeMode.TrimBorderAndPad or ResizeMode.TrimPaperAndPad;
}
