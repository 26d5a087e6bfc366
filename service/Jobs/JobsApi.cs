using Pipeline.Retraining;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Pipeline.Service.Jobs;

/// <summary><c>/api/jobs</c> (progress as JSON) and <c>POST /api/retrain</c>.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs");
        jobs.MapGet("/", (JobProgressStore progress, RetrainRecords records) =>
            TypedResults.Ok(new JobsOverview(records.List(), progress.List())))
            .WithSummary("Every retrain and the progress of every job this process ran");
        jobs.MapGet("/{id}", Results<Ok<JobProgress>, Ok<RetrainRecord>, NotFound<ProblemDetails>> (string id,
                JobProgressStore progress, RetrainRecords records) =>
            progress.Get(id) is { } job ? TypedResults.Ok(job)
            : IsRetrainId(id) && records.Get(id) is { } retrain ? TypedResults.Ok(retrain)
            : TypedResults.NotFound(new ProblemDetails
            {
                Title = "Unknown job", Status = 404,
                Detail = $"No job or retrain '{id}' in this process. GET /api/jobs lists them.",
            }))
            .WithSummary("One job's progress (Hangfire job id) or one retrain (dataset-NNNNNN)");

        app.MapPost("/api/retrain", RetrainAsync).WithTags("Jobs").DisableAntiforgery()
            .WithSummary("Retrain the latest dataset version (a no-op when it already has a retrain)");
        return app;
    }

    private static async Task<Results<Accepted<RetrainRecord>, Ok<RetrainRecord>, Conflict<ProblemDetails>>> RetrainAsync(
        RetrainCoordinator coordinator, CancellationToken ct)
    {
        var result = await coordinator.RequestLatestAsync("http", ct);
        if (result is not { } started)
            return TypedResults.Conflict(new ProblemDetails
            {
                Title = "Nothing to train", Status = 409,
                Detail = "The dataset has no version yet. Drop labelled images first.",
            });
        return started.Created
            ? TypedResults.Accepted($"/api/jobs/{started.Record.Id}", started.Record)
            : TypedResults.Ok(started.Record);
    }

    private static bool IsRetrainId(string id) =>
        id.StartsWith("dataset-", StringComparison.Ordinal) && id.Length <= 20 && id[8..].All(char.IsAsciiDigit);
}

/// <summary>The body of <c>GET /api/jobs</c>.</summary>
public sealed record JobsOverview(IReadOnlyList<RetrainRecord> Retrains, IReadOnlyList<JobProgress> Jobs);
