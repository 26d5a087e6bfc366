namespace Pipeline.Images;

/// <summary>What <see cref="ImageLoader"/> produces: the target size, how to fit it, and what transparency becomes.</summary>
public sealed record ImageLoadOptions
{
    /// <summary>Largest target side accepted; larger is a configuration bug, not a picture.</summary>
    public const int MaxTargetSide = 8192;

    /// <summary>Width of the returned image, in pixels. Default 224 (the usual ImageNet backbone input).</summary>
    public int TargetWidth { get; init; } = 224;

    /// <summary>Height of the returned image, in pixels. Default 224.</summary>
    public int TargetHeight { get; init; } = 224;

    /// <summary>Default <see cref="ResizeMode.Stretch"/>.</summary>
    public ResizeMode ResizeMode { get; init; } = ResizeMode.Stretch;

    /// <summary>Colour that transparent pixels and letterbox bars become. Default white.</summary>
    public RgbColor Background { get; init; } = RgbColor.White;

    public ImageLimits Limits { get; init; } = ImageLimits.Default;

    public static ImageLoadOptions Default { get; } = new();

    /// <summary>Options for a square target of <paramref name="side"/> pixels.</summary>
    public static ImageLoadOptions Square(int side) => new() { TargetWidth = side, TargetHeight = side };

    /// <summary>Throws, naming the property, when an option is out of range: a configuration bug.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TargetWidth, nameof(TargetWidth));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TargetWidth, MaxTargetSide, nameof(TargetWidth));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TargetHeight, nameof(TargetHeight));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(TargetHeight, MaxTargetSide, nameof(TargetHeight));
        if (!Enum.IsDefined(ResizeMode))
        {
            throw new ArgumentOutOfRangeException(nameof(ResizeMode), ResizeMode, "Unknown resize mode.");
        }

        ArgumentNullException.ThrowIfNull(Limits, nameof(Limits));
        Limits.Validate();
    }
}
