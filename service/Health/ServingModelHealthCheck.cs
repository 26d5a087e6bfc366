using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Registry;
using Pipeline.Service.Predict;

namespace Pipeline.Service.Health;

/// <summary>
/// Healthy once a model serves, or when none has been promoted yet (a fresh install is healthy); unhealthy when a
/// promoted model is not serving: its load error, or that it is still loading.
/// </summary>
public sealed class ServingModelHealthCheck(ServingModel serving, ModelServingService loader, ModelRegistry registry) : IHealthCheck
{
    public const string Name = "model";
    public const string VersionKey = "servingVersion";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (serving.Version is int version)
            return Task.FromResult(HealthCheckResult.Healthy($"model v{version} serves",
                new Dictionary<string, object> { [VersionKey] = version }));
        if (registry.Current() is not { } current)
            return Task.FromResult(HealthCheckResult.Healthy("no model has been trained yet"));
        return Task.FromResult(HealthCheckResult.Unhealthy(loader.LoadError ?? $"model v{current.Version} is loading"));
    }
}
