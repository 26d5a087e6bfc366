namespace Pipeline.Images;

/// <summary>
/// Recognises the accepted formats by their magic bytes. Deciding by content rather than by file name keeps a text
/// file called cat.jpg a <see cref="ImageRejectionReason.NotAnImage"/> and a truncated JPEG a
/// <see cref="ImageRejectionReason.Corrupt"/> one, which Skia alone cannot tell apart (both give no codec).
/// </summary>
internal static class ImageSignature
{
    private static ReadOnlySpan<byte> PngMagic => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    public static ImageFormat? Detect(ReadOnlySpan<byte> encoded)
    {
        if (encoded.StartsWith(PngMagic))
        {
            return ImageFormat.Png;
        }

        if (encoded.StartsWith(JpegMagic))
        {
            return ImageFormat.Jpeg;
        }

        if (encoded.StartsWith("GIF87a"u8) || encoded.StartsWith("GIF89a"u8))
        {
            return ImageFormat.Gif;
        }

        if (encoded.Length >= 12 && encoded.StartsWith("RIFF"u8) && encoded.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageFormat.Webp;
        }

        // "BM" alone is too weak (plenty of text starts with it): also require a known DIB header size.
        if (encoded.Length >= 18 && encoded.StartsWith("BM"u8))
        {
            uint dibSize = BitConverter.ToUInt32(encoded.Slice(14, 4));
            if (dibSize is 12 or 16 or 40 or 52 or 56 or 64 or 108 or 124)
            {
                return ImageFormat.Bmp;
            }
        }

        return null;
    }

    /// <summary>Upper-case name for messages ("PNG", "JPEG").</summary>
    public static string DisplayName(this ImageFormat format) => format.ToString().ToUpperInvariant();
}
