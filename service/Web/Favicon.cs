using SkiaSharp;

namespace Pipeline.Service.Web;

/// <summary>
/// <c>/favicon.ico</c>, which browsers ask for on every first load whatever the page says (a 404 there is a console
/// error). Drawn once at start-up: a 32 px PNG in an ICO container (one directory entry), so no binary sits in git.
/// </summary>
public static class Favicon
{
    public const string Path = "/favicon.ico";

    private static readonly Lazy<byte[]> Icon = new(Draw);

    public static IEndpointRouteBuilder MapFavicon(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Bytes(Icon.Value, "image/x-icon");
        }).ExcludeFromDescription();
        return app;
    }

    private static byte[] Draw()
    {
        const int size = 32;
        using var surface = SKSurface.Create(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Transparent);
        // The UI's accent colour; three bars of a chart, as in the model pages.
        using var fill = new SKPaint { Color = new SKColor(0x0b, 0x5c, 0xad), IsAntialias = true };
        canvas.DrawRoundRect(new SKRoundRect(new SKRect(0, 0, size, size), 6), fill);
        using var bar = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawRect(6, 7, 20, 4, bar);
        canvas.DrawRect(6, 14, 14, 4, bar);
        canvas.DrawRect(6, 21, 17, 4, bar);
        using var image = surface.Snapshot();
        using var png = image.Encode(SKEncodedImageFormat.Png, 100);
        var pngBytes = png.ToArray();

        // ICONDIR (6 bytes) + one ICONDIRENTRY (16 bytes) + the PNG, which ICO allows as an entry's image since Vista.
        using var ico = new MemoryStream();
        using var w = new BinaryWriter(ico);
        w.Write((ushort)0); w.Write((ushort)1); w.Write((ushort)1);
        w.Write((byte)size); w.Write((byte)size); w.Write((byte)0); w.Write((byte)0);
        w.Write((ushort)1); w.Write((ushort)32); w.Write(pngBytes.Length); w.Write(6 + 16);
        w.Write(pngBytes);
        w.Flush();
        return ico.ToArray();
    }
}
