using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pipeline.Datasets.Intake;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Drops;

/// <summary><c>/api/drops</c>: upload a drop, read what became of one, list recent ones.</summary>
public static class DropsApi
{
    public static IEndpointRouteBuilder MapDropsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/drops").WithTags("Drops");
        group.MapPost("/", UploadAsync)
            .WithName("UploadDrop")
            .WithSummary("Upload a drop: one .zip of <label>/<image> folders, or image files with a 'label' field")
            // No .Accepts(...) here: routing would answer a wrong content type with a bare 415 before the handler,
            // and the handler's 415 says what to send instead.
            .DisableAntiforgery();
        group.MapGet("/{id}", Get).WithName("GetDrop").WithSummary("A drop's state, counts and per-file reasons");
        group.MapGet("/", List).WithName("ListDrops").WithSummary("Recent drops, newest first");
        return app;
    }

    private static async Task<Results<Accepted<DropRecord>, ProblemHttpResult>> UploadAsync(HttpRequest request, IntakeFolders folders,
        DropReceiver receiver, DropQueue queue, IOptions<PipelineOptions> options, ILoggerFactory loggers, CancellationToken ct)
    {
        var (upload, problem) = await DropUploadReader.ReadAsync(request, folders, options.Value.MaxUploadBytes, ct);
        if (problem is not null) return problem;

        var record = await receiver.ReceiveUploadAsync(upload!.Staging, upload.Name, upload.Origin, ct);
        queue.Enqueue(record.Id);
        loggers.CreateLogger(typeof(DropsApi)).LogInformation("Drop {DropId} received by upload ({Origin})", record.Id, record.Origin);
        return TypedResults.Accepted($"/api/drops/{record.Id}", record);
    }

    private static Results<Ok<DropRecord>, ProblemHttpResult> Get(string id, DropRecords records) =>
        records.Get(id) is { } record
            ? TypedResults.Ok(record)
            : TypedResults.Problem($"There is no drop '{id}'. GET /api/drops lists the recent ones.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown drop");

    private static Ok<IReadOnlyList<DropRecord>> List(DropRecords records, IOptions<DropsOptions> options, int? limit) =>
        TypedResults.Ok<IReadOnlyList<DropRecord>>(records.All().Take(Math.Clamp(limit ?? options.Value.ListLimit, 1, options.Value.ListLimit)).ToList());
}
