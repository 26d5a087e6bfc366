using Pipeline.Datasets.Store;
using Pipeline.Images;
using Pipeline.Service.Hosting;
using SkiaSharp;

namespace Pipeline.Service.Datasets;

/// <summary>
/// Small PNG previews of dataset images, made on the server and kept under <c>thumbnails/</c> of the data root, so the
/// dataset browser sends kilobytes per image whatever the original is (a 20,000-pixel PNG never reaches the browser).
/// Decoding goes through the pipeline's <see cref="ImageLoader"/>, which bounds the decode of huge images.
/// </summary>
/// <remarks>
/// A thumbnail is named by the image's content hash, so it never goes stale; it is written under a temporary name and
/// renamed, so a crash leaves no half file. One is made at a time: a page of new thumbnails is CPU work that would
/// otherwise compete with predictions.
/// </remarks>
public sealed class Thumbnails(DatasetStore store, PipelinePaths paths, ILogger<Thumbnails> logger) : IDisposable
{
    public const int Side = 128;
    private readonly SemaphoreSlim _making = new(1, 1);

    public void Dispose() => _making.Dispose();

    private string Folder => Path.Combine(paths.DataRoot, "thumbnails");

    /// <summary>The thumbnail's file, made on first use; null when the store holds no image with this hash.</summary>
    public async Task<string?> GetAsync(string sha256, CancellationToken ct)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit)) return null;
        var thumbnail = Path.Combine(Folder, sha256[..2], sha256 + ".png");
        if (File.Exists(thumbnail)) return thumbnail;
        if (Original(sha256) is not { } original) return null;

        await _making.WaitAsync(ct);
        try
        {
            if (File.Exists(thumbnail)) return thumbnail;
            var loaded = ImageLoader.Load(await File.ReadAllBytesAsync(original, ct),
                new ImageLoadOptions { TargetWidth = Side, TargetHeight = Side, ResizeMode = ResizeMode.Pad }, ct);
            if (loaded.Image is not { } image)
            {
                // A stored image was valid when it came in; this is a damaged store, not a bad request.
                logger.LogWarning("No thumbnail for stored image {Sha256}: {Reason}", sha256, loaded.Message);
                return null;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(thumbnail)!);
            var temp = $"{thumbnail}.tmp-{Guid.NewGuid():N}";
            await File.WriteAllBytesAsync(temp, Png(image), ct);
            File.Move(temp, thumbnail, overwrite: true);
            return thumbnail;
        }
        finally
        {
            _making.Release();
        }
    }

    /// <summary>The stored original (<c>images/ab/&lt;sha256&gt;.&lt;format&gt;</c>), whatever its format.</summary>
    private string? Original(string sha256)
    {
        var folder = Path.GetDirectoryName(store.PathOf(sha256, "png"))!;
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, sha256 + ".*").FirstOrDefault(f => !f.Contains(".tmp-", StringComparison.Ordinal))
            : null;
    }

    private static byte[] Png(RgbImage image)
    {
        using var bitmap = new SKBitmap(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new byte[image.Width * image.Height * 4];
        for (int i = 0, j = 0; i < image.Pixels.Length; i += 3, j += 4)
        {
            rgba[j] = image.Pixels[i];
            rgba[j + 1] = image.Pixels[i + 1];
            rgba[j + 2] = image.Pixels[i + 2];
            rgba[j + 3] = 255;
        }

        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }
}
