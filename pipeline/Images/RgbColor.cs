namespace Pipeline.Images;

/// <summary>An opaque 8-bit sRGB colour, used as the background that transparency and letterboxing become.</summary>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    public static RgbColor White { get; } = new(255, 255, 255);

    public static RgbColor Black { get; } = new(0, 0, 0);
}
