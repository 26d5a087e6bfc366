using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Pipeline.Service.Models;

/// <summary><c>GET /api/models/{version}</c>: one model in full (per-class metrics, confusion matrix, candidates, lineage).</summary>
public static class ModelDetailsApi
{
    public static IEndpointRouteBuilder MapModelDetailsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models/{version:int}", Get)
            .WithTags("Models")
            .WithName("GetModel")
            .WithSummary("One model version: per-class metrics, confusion matrix, its retrain's candidates, lineage");
        return app;
    }

    private static Results<Ok<ModelDetails>, NotFound<ProblemDetails>> Get(int version, ModelDetailsReader reader) =>
        reader.Get(version) is { } details
            ? TypedResults.Ok(details)
            : TypedResults.NotFound(new ProblemDetails
            {
                Title = "Unknown model version", Status = StatusCodes.Status404NotFound,
                Detail = $"Model version {version} does not exist. GET /api/models lists the versions.",
            });
}
