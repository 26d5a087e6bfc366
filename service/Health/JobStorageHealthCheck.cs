using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Service.Health;

/// <summary>
/// Hangfire's storage (PostgreSQL or in-memory) answers a read: without it no retrain can be queued or joined.
/// Unhealthy with the storage's own error otherwise.
/// </summary>
public sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public const string Name = "storage";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // The monitoring API is synchronous; run it off the request thread so the check's timeout can end the wait.
            var stats = await Task.Run(() => storage.GetMonitoringApi().GetStatistics(), cancellationToken).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{storage} answers: {stats.Enqueued} enqueued, {stats.Processing} processing",
                new Dictionary<string, object> { ["enqueued"] = stats.Enqueued, ["processing"] = stats.Processing, ["failed"] = stats.Failed });
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Hangfire's storage cannot be read: {e.Message}");
        }
    }
}
