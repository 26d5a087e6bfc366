using Pipeline.Samples;
using Pipeline.Tests.Support;
using SkiaSharp;

namespace Pipeline.Tests.Export;

/// <summary>
/// A labelled folder of opaque, square images composed from openclipart: each clip drawn centred on a white square of
/// its own size (64 to 400 px). Opaque, because an ML.NET app does not flatten transparency onto white as the service
/// does; square, because ML.NET letterboxes with black where the service uses white. What is left to differ is decoding and resizing.
/// </summary>
internal static class OpaqueImages
{
    public static string Build(string destination, IReadOnlyList<string> categories, int perLabel)
    {
        var sources = Path.Combine(RepositoryPaths.SharedDataRoot, $"openclipart-{perLabel}");
        OpenclipartSample.Build(sources, perLabel, categories);
        foreach (var category in categories)
        {
            Directory.CreateDirectory(Path.Combine(destination, category));
            foreach (var file in Directory.GetFiles(Path.Combine(sources, category)).Order(StringComparer.Ordinal))
            {
                var target = Path.Combine(destination, category, Path.GetFileName(file));
                if (File.Exists(target)) continue;
                using var clip = SKBitmap.Decode(file);
                if (clip is null) continue;
                var side = Math.Clamp(Math.Max(clip.Width, clip.Height), 64, 400);
                var scale = (float)side / Math.Max(clip.Width, clip.Height);
                var (w, h) = (clip.Width * scale, clip.Height * scale);
                using var square = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Opaque));
                using (var canvas = new SKCanvas(square))
                {
                    canvas.Clear(SKColors.White);
                    using var paint = new SKPaint { FilterQuality = SKFilterQuality.High };
                    canvas.DrawBitmap(clip, SKRect.Create((side - w) / 2, (side - h) / 2, w, h), paint);
                }

                using var png = square.Encode(SKEncodedImageFormat.Png, 100);
                using var output = File.Create(target);
                png.SaveTo(output);
            }
        }

        return destination;
    }
}
