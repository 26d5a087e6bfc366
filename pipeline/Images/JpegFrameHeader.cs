using System.Buffers.Binary;

namespace Pipeline.Images;

/// <summary>
/// Finds whether a JPEG is progressive by walking its marker segments up to the start-of-frame. Progressive JPEGs
/// keep every DCT coefficient of the image in memory while decoding (about 3 bytes per pixel, whatever the output
/// scale), so the loader bounds them more tightly than baseline ones, whose scaled decoding is cheap.
/// </summary>
internal static class JpegFrameHeader
{
    public static bool IsProgressive(ReadOnlySpan<byte> jpeg)
    {
        int i = 2; // after SOI
        while (i + 4 <= jpeg.Length)
        {
            if (jpeg[i] != 0xFF)
            {
                return false;
            }

            byte marker = jpeg[i + 1];
            if (marker == 0xFF)
            {
                i++; // fill byte
                continue;
            }

            if (marker is 0xC2 or 0xC6 or 0xCA or 0xCE)
            {
                return true;
            }

            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return false; // a sequential or lossless frame
            }

            if (marker is 0xD9 or 0xDA)
            {
                return false; // end of image or start of scan before any frame header: let the codec judge
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2; // markers without a length
                continue;
            }

            i += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.Slice(i + 2, 2));
        }

        return false;
    }
}
