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

    /// <summary>
    /// Most pixels decoded into memory at once (4 bytes each). Larger images are decoded at a reduced scale or
    /// streamed row by row and box-averaged down to at most this many pixels before the final resize, so a
    /// 623 MP PNG costs tens of megabytes instead of 2.5 GB. Default 16 MP (64 MB).
    /// </summary>
    public long MaxDecodePixels { get; init; } = 16_000_000;

    public static ImageLimits Default { get; } = new();

    /// <summary>Throws when a limit is not positive or the minimum exceeds the maximum: a configuration bug.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFileBytes, nameof(MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSide, nameof(MaxSide));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPixels, nameof(MaxPixels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MinSide, nameof(MinSide));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MinSide, MaxSide, nameof(MinSide));
        // Below a few hundred pixels the box-averaged intermediate would be coarser than any sensible target.
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDecodePixels, 256, nameof(MaxDecodePixels));
    }
}
