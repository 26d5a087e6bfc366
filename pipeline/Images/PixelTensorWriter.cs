using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipeline.Images;

/// <summary>
/// Writes an <see cref="RgbImage"/> as the planar float tensor (C, H, W) a backbone consumes. On the hot path for
/// every image, so each scaling is a precomputed 256-entry table per channel: one load and one store per value.
/// </summary>
public static class PixelTensorWriter
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    // Index: scaling * 3 + channel. Built once; the tables are never written after construction.
    private static readonly float[][] Tables = BuildTables();

    /// <summary>
    /// Fills <paramref name="destination"/> with the red plane, then green, then blue, each row-major, with
    /// <paramref name="scaling"/> applied.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not exactly 3·H·W long.</exception>
    public static void WriteChw(RgbImage image, PixelScaling scaling, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!Enum.IsDefined(scaling))
        {
            throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "Unknown pixel scaling.");
        }

        int plane = image.Width * image.Height;
        if (destination.Length != 3 * plane)
        {
            throw new ArgumentException(
                $"Destination has {destination.Length} floats; a {image.Width}x{image.Height} image needs 3x{image.Height}x{image.Width} = {3 * plane}.",
                nameof(destination));
        }

        int table = (int)scaling * 3;
        ref byte pixels = ref MemoryMarshal.GetArrayDataReference(image.Pixels);
        ref float red = ref MemoryMarshal.GetReference(destination);
        ref float green = ref Unsafe.Add(ref red, plane);
        ref float blue = ref Unsafe.Add(ref red, 2 * plane);
        ref float redTable = ref MemoryMarshal.GetArrayDataReference(Tables[table]);
        ref float greenTable = ref MemoryMarshal.GetArrayDataReference(Tables[table + 1]);
        ref float blueTable = ref MemoryMarshal.GetArrayDataReference(Tables[table + 2]);

        // The length checks above make every offset below in range; ref arithmetic avoids a bounds check per value.
        for (int i = 0, p = 0; i < plane; i++, p += 3)
        {
            Unsafe.Add(ref red, i) = Unsafe.Add(ref redTable, Unsafe.Add(ref pixels, p));
            Unsafe.Add(ref green, i) = Unsafe.Add(ref greenTable, Unsafe.Add(ref pixels, p + 1));
            Unsafe.Add(ref blue, i) = Unsafe.Add(ref blueTable, Unsafe.Add(ref pixels, p + 2));
        }
    }

    /// <summary>Allocates and fills a (3, H, W) array.</summary>
    public static float[] ToChw(RgbImage image, PixelScaling scaling)
    {
        ArgumentNullException.ThrowIfNull(image);
        var tensor = new float[3 * image.Width * image.Height];
        WriteChw(image, scaling, tensor);
        return tensor;
    }

    private static float[][] BuildTables()
    {
        var scalings = Enum.GetValues<PixelScaling>();
        var tables = new float[scalings.Length * 3][];
        foreach (var scaling in scalings)
        {
            for (int channel = 0; channel < 3; channel++)
            {
                var table = new float[256];
                for (int x = 0; x < 256; x++)
                {
                    table[x] = Scale(x, scaling, channel);
                }

                tables[(int)scaling * 3 + channel] = table;
            }
        }

        return tables;
    }

    private static float Scale(int x, PixelScaling scaling, int channel) => scaling switch
    {
        PixelScaling.MinusOneToOne => x / 127.5f - 1f,
        PixelScaling.ZeroToOne => x / 255f,
        PixelScaling.ImageNetMeanStd => (x / 255f - ImageNetMean[channel]) / ImageNetStd[channel],
        _ => x,
    };
}
