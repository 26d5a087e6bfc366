using System.IO.Compression;
using Pipeline.Tests.Images;
using SkiaSharp;

namespace Pipeline.Tests.Drops;

/// <summary>Small real images, distinct by <c>n</c>, and drops made of them.</summary>
internal static class DropImages
{
    public static byte[] Png(int n) => Encode(n, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(int n) => Encode(n, SKEncodedImageFormat.Jpeg);

    /// <summary>Writes <c>root/&lt;relative path&gt;</c> for each file.</summary>
    public static void Write(string root, IReadOnlyDictionary<string, byte[]> files)
    {
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
    }

    /// <summary>A zip of the given entries, names taken literally (so tests can write unsafe ones).</summary>
    public static byte[] Zip(IReadOnlyDictionary<string, byte[]> entries, Action<ZipArchive>? more = null)
    {
        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
                stream.Write(bytes);
            }

            more?.Invoke(zip);
        }

        return buffer.ToArray();
    }

    private static byte[] Encode(int n, SKEncodedImageFormat format)
    {
        using var bitmap = TestImages.Bitmap(16, 16, (x, y) => new SKColor((byte)(n * 37), (byte)(x * 16 + n), (byte)(y * 16 + n * 7)));
        return TestImages.Encode(bitmap, format);
    }
}
