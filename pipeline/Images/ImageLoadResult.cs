namespace Pipeline.Images;

/// <summary>
/// The outcome of <see cref="ImageLoader.Load(ReadOnlySpan{byte}, ImageLoadOptions, CancellationToken)"/>: either
/// <see cref="Loaded"/> pixels or a <see cref="Rejected"/> file with a reason a person can act on. The two nested
/// records are the only cases.
/// </summary>
public abstract record ImageLoadResult
{
    private ImageLoadResult()
    {
    }

    /// <summary>The image decoded, flattened onto the background and resized to the target.</summary>
    /// <param name="Image">Pixels at the target size.</param>
    /// <param name="Format">The format found in the file's content.</param>
    /// <param name="OriginalWidth">Width stored in the file header, before any EXIF rotation.</param>
    /// <param name="OriginalHeight">Height stored in the file header, before any EXIF rotation.</param>
    public sealed record Loaded(RgbImage Image, ImageFormat Format, int OriginalWidth, int OriginalHeight) : ImageLoadResult;

    /// <summary>The file cannot be used.</summary>
    /// <param name="Reason">Machine-readable category.</param>
    /// <param name="Message">One line for a person, e.g. "PNG is 21000x29700 = 623.7 MP, above the 100 MP limit".</param>
    public sealed record Rejected(ImageRejectionReason Reason, string Message) : ImageLoadResult;
}
