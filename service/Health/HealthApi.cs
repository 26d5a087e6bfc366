using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Registry;
using Pipeline.Service.Predict;

namespace Pipeline.Service.Health;

/// <summary>
/// <c>GET /health</c>: ready (200) once a model serves, or when none exists yet (a fresh install is healthy);
/// otherwise 503 with the reason: the load error, or that the promoted model is still loading.
/// </summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", Results<Ok<HealthReport>, JsonHttpResult<HealthReport>> (ServingModel serving,
            ModelServingService loader, ModelRegistry registry) =>
        {
            if (serving.Version is int version)
                return TypedResults.Ok(new HealthReport("ready", version, $"model v{version} serves"));
            var current = registry.Current();
            if (current is null)
                return TypedResults.Ok(new HealthReport("ready", null, "no model has been trained yet"));
            return TypedResults.Json(new HealthReport("not ready", null, loader.LoadError ?? $"model v{current.Version} is loading"),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }).WithTags("Health").WithSummary("Readiness: whether predictions can be answered, and why not");
        return app;
    }
}
