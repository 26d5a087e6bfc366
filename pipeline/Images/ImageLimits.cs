namespace Pipeline.Images;

/// <summary>
/// Bounds on what the pipeline will decode. Files beyond them are rejected with a reason rather than risking
/// gigabytes of memory on one picture.
/// </summary>
public sealed record ImageLimits
{
    /// <summary>Largest encoded file accepted, in bytes.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Largest width or height accepted, in pixels.</summary>
    public int MaxSide { get; init; } = 40_000;

    /// <summary>Largest width x height accepted, in pixels (an "absurd dimension" beyond it is rejected).</summary>
    public long MaxPixels { get; init; } = 1_000_000_000;

    /// <summary>Smallest width or height accepted, in pixels.</summary>
    public int MinSide { get; init; } = 8;

    public static ImageLimits Default { get; } = new();
}
