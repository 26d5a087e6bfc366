using Pipeline.Samples;
using Pipeline.Tests.Support;
using SkiaSharp;

namespace Pipeline.Tests.Export;

/// <summary>
/// A labelled folder of opaque, square images composed from openclipart: each clip's drawing (its margin left out)
/// stretched over a white square (64 to 400 px), so it reaches all four edges. Opaque, because an ML.NET app does not
/// flatten transparency onto white as the service does; square, because ML.NET letterboxes with black where the service
/// uses white; reaching every edge, because ML.NET cannot trim a margin as the built-in networks do
/// (<see cref="Pipeline.Images.ResizeMode.TrimPaperAndPad"/>): a drawing centred with white above and below would be
/// cut to it by the service and resampled a fraction of a pixel apart from ML.NET's whole square, enough to flip a close
/// call. What is left to differ is decoding and resizing.
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
                var drawn = DrawingBounds(clip);
                var side = Math.Clamp((int)Math.Ceiling(Math.Max(drawn.Width, drawn.Height)), 64, 400);
                using var square = new SKBitmap(new SKImageInfo(side, side, SKColorType.Rgba8888, SKAlphaType.Opaque));
                using (var canvas = new SKCanvas(square))
                {
                    canvas.Clear(SKColors.White);
                    using var paint = new SKPaint { FilterQuality = SKFilterQuality.High };
                    canvas.DrawBitmap(clip, drawn, SKRect.Create(0, 0, side, side), paint);
                }

                using var png = square.Encode(SKEncodedImageFormat.Png, 100);
                using var output = File.Create(target);
                png.SaveTo(output);
            }
        }

        return destination;
    }

    /// <summary>The box of the clip's pixels that are not white once flattened onto white, as the service finds them.</summary>
    private static SKRect DrawingBounds(SKBitmap clip)
    {
        var pixels = clip.Pixels;
        int left = clip.Width, top = clip.Height, right = -1, bottom = -1;
        for (var y = 0; y < clip.Height; y++)
        for (var x = 0; x < clip.Width; x++)
        {
            var c = pixels[y * clip.Width + x];
            var alpha = c.Alpha / 255.0;
            var darkest = Math.Min(c.Red, Math.Min(c.Green, c.Blue)) * alpha + 255 * (1 - alpha);
            if (255 - darkest <= Pipeline.Images.ContentBounds.Tolerance) continue;
            (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
        }

        return right < 0 ? SKRect.Create(clip.Width, clip.Height) : new SKRect(left, top, right + 1, bottom + 1);
    }
}
