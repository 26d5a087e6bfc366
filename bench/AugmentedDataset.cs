using SkiaSharp;
using Pipeline.Samples;

namespace Pipeline.Bench;

/// <summary>
/// A labelled folder of any size made from real openclipart images: each copy is a different crop, optionally
/// mirrored, flattened onto white and re-encoded as JPEG, so every file has its own content hash and the pipeline
/// treats it as a new image. Made once per (size, seed) and reused by later runs.
/// </summary>
public static class AugmentedDataset
{
    private const int MaxSide = 256;

    /// <returns>The dataset folder (<c>&lt;label&gt;/&lt;file&gt;.jpg</c>).</returns>
    public static string Build(string workFolder, int count, int seed = 42, CancellationToken ct = default)
    {
        var categories = OpenclipartSample.DefaultCategories;
        var destination = Path.Combine(workFolder, $"augmented-{count}-{seed}");
        var done = Path.Combine(destination, ".complete");
        if (File.Exists(done)) return destination;

        var perLabel = (count + categories.Count - 1) / categories.Count;
        var sourcesPerLabel = Math.Min(perLabel, 60);
        var sources = Path.Combine(workFolder, $"openclipart-{sourcesPerLabel}");
        OpenclipartSample.Build(sources, sourcesPerLabel, categories);
        if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);

        var jobs = categories
            .SelectMany((label, labelIndex) =>
            {
                var files = Directory.GetFiles(Path.Combine(sources, label)).Order(StringComparer.Ordinal).ToList();
                return files.Select((file, index) => (label, labelIndex, file, index, of: files.Count));
            })
            .ToList();
        var made = 0;
        Parallel.ForEach(jobs, new ParallelOptions { CancellationToken = ct }, job =>
        {
            var folder = Path.Combine(destination, job.label);
            Directory.CreateDirectory(folder);
            using var source = LoadOnWhite(job.file);
            if (source is null) return;
            // Copies of one label are spread over its sources round-robin: copy k of the label comes from source k % n.
            for (var k = job.index; k < perLabel; k += job.of)
            {
                var random = new Random(seed * 1_000_003 + job.labelIndex * 100_003 + k);
                File.WriteAllBytes(Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(job.file)}-{k:D5}.jpg"),
                    Variant(source, random));
                Interlocked.Increment(ref made);
            }
        });
        File.WriteAllText(done, $"{made}\n");
        return destination;
    }

    private static SKBitmap? LoadOnWhite(string path)
    {
        using var decoded = SKBitmap.Decode(path);
        if (decoded is null) return null;
        var scale = Math.Min(1.0, (double)MaxSide * 1.25 / Math.Max(decoded.Width, decoded.Height));
        var info = new SKImageInfo(Math.Max(8, (int)(decoded.Width * scale)), Math.Max(8, (int)(decoded.Height * scale)),
            SKColorType.Rgba8888, SKAlphaType.Premul);
        var result = new SKBitmap(info);
        using var canvas = new SKCanvas(result);
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { FilterQuality = SKFilterQuality.Medium };
        canvas.DrawBitmap(decoded, new SKRect(0, 0, info.Width, info.Height), paint);
        return result;
    }

    /// <summary>A random crop of 75-100 % per side, mirrored half of the time, as JPEG of at most 256 px.</summary>
    private static byte[] Variant(SKBitmap source, Random random)
    {
        var w = (int)(source.Width * (0.75 + 0.25 * random.NextDouble()));
        var h = (int)(source.Height * (0.75 + 0.25 * random.NextDouble()));
        var x = random.Next(0, source.Width - w + 1);
        var y = random.Next(0, source.Height - h + 1);
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(w, h));
        var info = new SKImageInfo(Math.Max(8, (int)(w * scale)), Math.Max(8, (int)(h * scale)));
        using var target = new SKBitmap(info);
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.White);
            if (random.Next(2) == 1)
            {
                canvas.Translate(info.Width, 0);
                canvas.Scale(-1, 1);
            }

            using var paint = new SKPaint { FilterQuality = SKFilterQuality.Medium };
            canvas.DrawBitmap(source, new SKRect(x, y, x + w, y + h), new SKRect(0, 0, info.Width, info.Height), paint);
        }

        using var image = SKImage.FromBitmap(target);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85 + random.Next(10));
        return data.ToArray();
    }
}
