using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Promotion;
using Pipeline.Registry;

namespace Pipeline.Service.Models;

/// <summary>The model registry over HTTP: list, current, manual promotion and rollback, decisions.</summary>
public static class ModelsApi
{
    public static RouteGroupBuilder MapModelsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/models").WithTags("Models");
        group.MapGet("/", (ModelRegistry registry) =>
        {
            var serving = registry.Current()?.Version;
            return TypedResults.Ok(registry.List().Select(m => ModelSummary.From(m, serving)).ToList());
        });
        group.MapGet("/current", Results<Ok<ModelSummary>, NotFound<ProblemDetails>> (ModelRegistry registry) =>
            registry.Current() is { } current
                ? TypedResults.Ok(ModelSummary.From(current, current.Version))
                : TypedResults.NotFound(new ProblemDetails { Title = "No model serving", Detail = "Nothing has been promoted yet.", Status = 404 }));
        group.MapGet("/decisions", (ModelRegistry registry) => TypedResults.Ok(registry.Decisions()));
        group.MapPost("/{version:int}/promote", PromoteAsync);
        return group;
    }

    /// <summary>Manual promotion, or rollback when the version is older than the serving one.</summary>
    private static async Task<Results<Ok<ModelSummary>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> PromoteAsync(int version,
        ModelPromoter promoter, CancellationToken ct)
    {
        RegisteredModel? promoted;
        try
        {
            promoted = await promoter.PromoteByHandAsync(version, ct);
        }
        catch (PipelineException e)
        {
            return TypedResults.Conflict(new ProblemDetails
            {
                Title = "Model cannot be served", Detail = $"Model version {version} was not promoted: {e.Message}", Status = 409,
            });
        }

        return promoted is null
            ? TypedResults.NotFound(new ProblemDetails { Title = "Unknown model version", Detail = $"Model version {version} does not exist.", Status = 404 })
            : TypedResults.Ok(ModelSummary.From(promoted, version));
    }
}
