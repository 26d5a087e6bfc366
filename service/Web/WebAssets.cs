using System.Security.Cryptography;

namespace Pipeline.Service.Web;

/// <summary>
/// The UI's stylesheet and script, embedded in the assembly (not wwwroot: the service runs from any working directory,
/// and the tests start it from the repository root). Served with a content-hash ETag.
/// </summary>
public static class WebAssets
{
    public const string StylePath = "/ui/site.css";
    public const string ScriptPath = "/ui/site.js";

    private static readonly Lazy<Asset> Style = new(() => Load("site.css", "text/css; charset=utf-8"));
    private static readonly Lazy<Asset> Script = new(() => Load("site.js", "text/javascript; charset=utf-8"));

    public static IEndpointRouteBuilder MapWebAssets(this IEndpointRouteBuilder app)
    {
        app.MapGet(StylePath, (HttpContext context) => Serve(context, Style.Value)).ExcludeFromDescription();
        app.MapGet(ScriptPath, (HttpContext context) => Serve(context, Script.Value)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext context, Asset asset)
    {
        context.Response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch == asset.ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        context.Response.Headers.ETag = asset.ETag;
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private static Asset Load(string name, string contentType)
    {
        using var stream = typeof(WebAssets).Assembly.GetManifestResourceStream($"Pipeline.Service.Web.{name}")
                           ?? throw new InvalidOperationException($"Embedded resource {name} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return new Asset(bytes, contentType, $"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"");
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
