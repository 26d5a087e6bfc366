namespace Pipeline.Images;

/// <summary>
/// Decoded, opaque 8-bit RGB pixels in row-major HWC order: pixel (x, y) starts at <c>(y * Width + x) * 3</c>.
/// </summary>
/// <remarks>Record equality compares the <see cref="Pixels"/> array by reference, not by content.</remarks>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public byte[] Pixels { get; } = CheckedPixels(Width, Height, Pixels);

    /// <summary>The colour at (x, y); convenient for tests and diagnostics, too slow for bulk work.</summary>
    public RgbColor this[int x, int y]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(x);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
            ArgumentOutOfRangeException.ThrowIfNegative(y);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
            int i = (y * Width + x) * 3;
            return new RgbColor(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    // The names reported are the record's constructor parameters (Width, Height, Pixels), what a caller wrote, not this
    // helper's; CA2208 cannot see that the helper checks them on the constructor's behalf.
#pragma warning disable CA2208
    private static byte[] CheckedPixels(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width, nameof(Width));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height, nameof(Height));
        ArgumentNullException.ThrowIfNull(pixels, nameof(Pixels));
        if (pixels.LongLength != 3L * width * height)
        {
            throw new ArgumentException(
                $"Expected {3L * width * height} bytes for {width}x{height} RGB, got {pixels.LongLength}.", nameof(Pixels));
        }

        return pixels;
    }
#pragma warning restore CA2208
}
