#!/usr/bin/env -S dotnet run
// Builds an "on a scanned page" copy of a holdout: every image of SRC/<label>/ drawn small onto a white A4 page at
// 150 dpi (1240 x 1754), a quarter of the page wide, at a place picked by a hash of its file name, and saved as a JPEG
// (quality 90), as a drawing scanned or photographed on a page arrives. The drawing keeps its own size relation to
// the page whatever its file's size, so every image tests the same thing: a JPEG whose content is a small part of
// its frame, which the loader decodes at a scale chosen for the whole page.
//
//   dotnet run tools/evalsets/on-page.cs -- SRC OUT  ->  OUT/<label>/<file>.jpg
#:package SkiaSharp
#:package SkiaSharp.NativeAssets.Linux.NoDependencies
using System.Security.Cryptography;
using System.Text;
using SkiaSharp;

const int pageWidth = 1240, pageHeight = 1754, drawingSide = pageWidth / 4, quality = 90;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run tools/evalsets/on-page.cs -- SRC OUT");
    return 2;
}

var (source, output) = (args[0], args[1]);
var count = 0;
foreach (var labelFolder in Directory.GetDirectories(source).Order(StringComparer.Ordinal))
{
    var label = Path.GetFileName(labelFolder);
    Directory.CreateDirectory(Path.Combine(output, label));
    foreach (var file in Directory.GetFiles(labelFolder).Order(StringComparer.Ordinal))
    {
        using var drawing = SKBitmap.Decode(file) ?? throw new InvalidDataException($"{file}: not an image Skia reads");
        var scale = (float)drawingSide / Math.Max(drawing.Width, drawing.Height);
        float width = drawing.Width * scale, height = drawing.Height * scale;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFileName(file)));
        // At least a twentieth of the page from every edge, as a scan's margin.
        float left = pageWidth / 20f + hash[0] / 255f * (pageWidth * 0.9f - width);
        float top = pageHeight / 20f + hash[1] / 255f * (pageHeight * 0.9f - height);

        using var page = new SKBitmap(new SKImageInfo(pageWidth, pageHeight, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(page))
        using (var paint = new SKPaint { FilterQuality = SKFilterQuality.High, IsAntialias = true })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(drawing, SKRect.Create(left, top, width, height), paint);
        }

        using var jpeg = page.Encode(SKEncodedImageFormat.Jpeg, quality);
        File.WriteAllBytes(Path.Combine(output, label, Path.GetFileNameWithoutExtension(file) + ".jpg"), jpeg.ToArray());
        count++;
    }
}

Console.Error.WriteLine($"on-page: {count} images in {output}");
return 0;
