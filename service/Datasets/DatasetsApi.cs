using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Datasets.Store;

namespace Pipeline.Service.Datasets;

/// <summary>
/// <c>/api/datasets</c>: the dataset versions, an image's thumbnail, and the two corrections a person makes: delete an
/// image, or move it to another label. A correction writes a new dataset version that records it
/// (<see cref="DatasetStore.ChangeAsync"/>), which is retrained as a drop's version is. Corrections are mutating API
/// requests, so the API's access rule applies (loopback or the admin key, same origin).
/// </summary>
public static class DatasetsApi
{
    public const string Source = "edit:http";

    public static IServiceCollection AddDatasets(this IServiceCollection services) => services.AddSingleton<Thumbnails>();

    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/datasets").WithTags("Datasets");
        api.MapGet("", (DatasetStore store) => TypedResults.Ok(store.Versions().Select(v => Summary(store.Get(v)!)).Reverse().ToList()))
            .WithSummary("Every dataset version, newest first, with its image count per label and the changes it made");
        api.MapGet("/{version:int}", Results<Ok<DatasetVersion>, ProblemHttpResult> (int version, DatasetStore store) =>
            store.Get(version) is { } found
                ? TypedResults.Ok(found)
                : TypedResults.Problem($"There is no dataset version {version}; GET /api/datasets lists them.",
                    statusCode: StatusCodes.Status404NotFound, title: "Unknown dataset version"))
            .WithSummary("One dataset version: every image (hash, label, format, size) and its changes");
        api.MapGet("/images/{sha256}/thumbnail", async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> (
                string sha256, Thumbnails thumbnails, HttpContext context, CancellationToken ct) =>
            {
                if (await thumbnails.GetAsync(sha256, ct) is not { } file)
                    return TypedResults.Problem($"No stored image has the hash '{sha256}'.", statusCode: StatusCodes.Status404NotFound,
                        title: "Unknown image");
                // Named by content: it never changes.
                context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return TypedResults.PhysicalFile(file, "image/png");
            })
            .WithSummary($"A {Thumbnails.Side} px PNG preview of a stored image, made once and cached");
        api.MapPost("/images/{sha256}/delete", (string sha256, DatasetStore store, CancellationToken ct) =>
                ChangeAsync(store, sha256, null, ct))
            .WithSummary("Delete an image from the dataset: writes a new dataset version, which is retrained")
            .DisableAntiforgery();
        api.MapPost("/images/{sha256}/label", async Task<Results<Accepted<DatasetVersion>, ProblemHttpResult>> (string sha256, HttpRequest request, DatasetStore store, CancellationToken ct) =>
            {
                // From the query (API clients) or the form (the dataset page's form, with or without its script).
                string? label = request.Query["label"];
                if (string.IsNullOrWhiteSpace(label) && request.HasFormContentType)
                    label = (await request.ReadFormAsync(ct))["label"];
                return string.IsNullOrWhiteSpace(label)
                    ? TypedResults.Problem("Say which label to move the image to: ?label=NAME or a form field 'label'.",
                        statusCode: StatusCodes.Status400BadRequest, title: "Missing label")
                    : await ChangeAsync(store, sha256, label, ct);
            })
            .WithSummary("Move an image to another label: writes a new dataset version, which is retrained")
            .DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Accepted<DatasetVersion>, ProblemHttpResult>> ChangeAsync(DatasetStore store, string sha256,
        string? label, CancellationToken ct)
    {
        try
        {
            var version = await store.ChangeAsync(sha256, label, Source, ct);
            return TypedResults.Accepted($"/api/datasets/{version.Version}", version);
        }
        catch (PipelineException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status409Conflict, title: "Change not applied");
        }
    }

    private static object Summary(DatasetVersion v) => new
    {
        v.Version, v.CreatedUtc, v.Source, v.Added, Images = v.Images.Count, v.Changes,
        Labels = v.Images.GroupBy(i => i.Label).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
    };
}
