using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Pipeline.Service.Health;

/// <summary>
/// <c>GET /health</c> through the framework's health checks: the serving model, the data root, Hangfire's storage and its
/// workers.
/// 200 <c>ready</c> when healthy or degraded, 503 <c>not ready</c> when a check is unhealthy, with a JSON body
/// (<see cref="HealthReport"/>) that says why.
/// </summary>
public static class HealthModule
{
    public const string Path = "/health";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddPipelineHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ServingModelHealthCheck>(ServingModelHealthCheck.Name)
            .AddCheck<DataRootHealthCheck>(DataRootHealthCheck.Name, timeout: CheckTimeout)
            .AddCheck<JobStorageHealthCheck>(JobStorageHealthCheck.Name, timeout: CheckTimeout)
            .AddCheck<JobWorkersHealthCheck>(JobWorkersHealthCheck.Name, HealthStatus.Degraded, timeout: CheckTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapPipelineHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = WriteAsync })
            .WithTags("Health").WithSummary("Readiness: whether predictions can be answered and retrains run, and why not");
        return app;
    }

    private static Task WriteAsync(HttpContext context, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        report.Entries.TryGetValue(ServingModelHealthCheck.Name, out var model);
        var failing = report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy)
            .Select(e => e.Value.Description ?? e.Value.Exception?.Message ?? e.Key).ToList();
        var body = new HealthReport(
            report.Status == HealthStatus.Unhealthy ? "not ready" : "ready",
            model.Data?.TryGetValue(ServingModelHealthCheck.VersionKey, out var version) == true ? (int)version : null,
            failing.Count > 0 ? string.Join("; ", failing) : model.Description ?? "",
            report.Entries.ToDictionary(e => e.Key, e => new HealthCheckEntry(e.Value.Status.ToString(),
                e.Value.Description ?? e.Value.Exception?.Message, e.Value.Data.Count > 0 ? e.Value.Data : null)));
        var json = context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, json));
    }
}
