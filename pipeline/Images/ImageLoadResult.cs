using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Images;

/// <summary>
/// The outcome of <see cref="ImageLoader"/>: either pixels (<see cref="IsLoaded"/>, <see cref="Image"/>) or a
/// rejection (<see cref="Rejection"/> and a <see cref="Message"/> a person can act on), never both.
/// </summary>
public sealed record ImageLoadResult
{
    private ImageLoadResult(RgbImage? image, ImageFormat? format, int originalWidth, int originalHeight,
        ImageRejectionReason? rejection, string? message)
    {
        Image = image;
        Format = format;
        OriginalWidth = originalWidth;
        OriginalHeight = originalHeight;
        Rejection = rejection;
        Message = message;
    }

    /// <summary>Pixels at the target size, flattened onto the background; null when rejected.</summary>
    public RgbImage? Image { get; }

    /// <summary>The format found in the file's content; null when rejected.</summary>
    public ImageFormat? Format { get; }

    /// <summary>Width stored in the file header (before any EXIF rotation); 0 when rejected.</summary>
    public int OriginalWidth { get; }

    /// <summary>Height stored in the file header (before any EXIF rotation); 0 when rejected.</summary>
    public int OriginalHeight { get; }

    /// <summary>Why the file cannot be used; null when loaded.</summary>
    public ImageRejectionReason? Rejection { get; }

    /// <summary>One line for a person, e.g. "PNG is 21000x29700 = 623.7 MP, above the 100 MP limit"; null when loaded.</summary>
    public string? Message { get; }

    [MemberNotNullWhen(true, nameof(Image))]
    [MemberNotNullWhen(false, nameof(Message))]
    public bool IsLoaded => Image is not null;

    public static ImageLoadResult Loaded(RgbImage image, ImageFormat format, int originalWidth, int originalHeight)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new(image, format, originalWidth, originalHeight, null, null);
    }

    public static ImageLoadResult Rejected(ImageRejectionReason reason, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(null, null, 0, 0, reason, message);
    }

    public override string ToString() => IsLoaded
        ? $"{Format} {OriginalWidth}x{OriginalHeight} loaded as {Image.Width}x{Image.Height}"
        : $"{Rejection}: {Message}";
}
