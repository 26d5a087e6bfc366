using System.Numerics;

namespace Pipeline.Images.Png;

/// <summary>Reverses the five PNG scanline filters (PNG specification, section 9) in place.</summary>
internal static class PngRowFilter
{
    /// <summary>
    /// Turns filtered bytes back into raw ones. <paramref name="previous"/> is the previous raw row of the same
    /// pass (all zeros for the first). Returns false for an unknown filter type, which only a corrupt file has.
    /// </summary>
    public static bool Unfilter(int filter, Span<byte> row, ReadOnlySpan<byte> previous, int stride)
    {
        switch (filter)
        {
            case 0:
                return true;
            case 1:
                for (int i = stride; i < row.Length; i++)
                {
                    row[i] += row[i - stride];
                }

                return true;
            case 2:
                AddUp(row, previous);
                return true;
            case 3:
                for (int i = 0; i < stride; i++)
                {
                    row[i] += (byte)(previous[i] >> 1);
                }

                for (int i = stride; i < row.Length; i++)
                {
                    row[i] += (byte)((row[i - stride] + previous[i]) >> 1);
                }

                return true;
            case 4:
                for (int i = 0; i < stride; i++)
                {
                    row[i] += previous[i];
                }

                for (int i = stride; i < row.Length; i++)
                {
                    row[i] += Paeth(row[i - stride], previous[i], previous[i - stride]);
                }

                return true;
            default:
                return false;
        }
    }

    // "Up" is the most common filter in large flat images and is trivially vectorisable.
    private static void AddUp(Span<byte> row, ReadOnlySpan<byte> previous)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<byte>.Count <= row.Length; i += Vector<byte>.Count)
            {
                var sum = new Vector<byte>(row[i..]) + new Vector<byte>(previous[i..]);
                sum.CopyTo(row[i..]);
            }
        }

        for (; i < row.Length; i++)
        {
            row[i] += previous[i];
        }
    }

    private static byte Paeth(int left, int above, int upperLeft)
    {
        int p = left + above - upperLeft;
        int pa = Math.Abs(p - left);
        int pb = Math.Abs(p - above);
        int pc = Math.Abs(p - upperLeft);
        if (pa <= pb && pa <= pc)
        {
            return (byte)left;
        }

        return pb <= pc ? (byte)above : (byte)upperLeft;
    }
}
