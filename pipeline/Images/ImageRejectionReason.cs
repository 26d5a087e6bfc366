namespace Pipeline.Images;

/// <summary>Why a file could not be turned into pixels. Each is an expected outcome of user data, not a bug.</summary>
public enum ImageRejectionReason
{
    /// <summary>Zero bytes.</summary>
    Empty,

    /// <summary>More bytes than <see cref="ImageLimits.MaxFileBytes"/>.</summary>
    FileTooLarge,

    /// <summary>Not JPEG, PNG, BMP, GIF or WEBP (judged by content, never by file name).</summary>
    NotAnImage,

    /// <summary>A known format whose header or pixel data cannot be decoded, including truncated files.</summary>
    Corrupt,

    /// <summary>Width, height or pixel count above <see cref="ImageLimits"/>, or beyond what the format can decode in bounded memory.</summary>
    DimensionsTooLarge,

    /// <summary>Width or height below <see cref="ImageLimits.MinSide"/>.</summary>
    TooSmall,
}
