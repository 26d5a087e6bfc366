namespace Pipeline.Images;

/// <summary>The encoded formats the loader accepts. Anything else is rejected as <see cref="ImageRejectionReason.NotAnImage"/>.</summary>
public enum ImageFormat
{
    Jpeg,
    Png,
    Bmp,
    Gif,
    Webp,
}
