using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pipeline.Service.Health;

/// <summary>
/// At least one Hangfire server (of this process or another sharing the storage) has sent a heartbeat recently, so
/// queued retrains will run. Degraded, not unhealthy, without one: predictions are still answered.
/// </summary>
public sealed class JobWorkersHealthCheck(JobStorage storage, TimeProvider time) : IHealthCheck
{
    public const string Name = "workers";

    /// <summary>Hangfire servers beat every 30 s by default; two missed beats mean the server is gone.</summary>
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(90);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var servers = await Task.Run(() => storage.GetMonitoringApi().Servers(), cancellationToken).WaitAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var alive = servers.Where(s => s.Heartbeat is { } beat && now - beat < Stale).ToList();
        var data = new Dictionary<string, object>
        {
            ["servers"] = alive.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray(),
            ["workers"] = alive.Sum(s => s.WorkersCount),
        };
        return alive.Count > 0
            ? HealthCheckResult.Healthy($"{alive.Count} job server(s) with {alive.Sum(s => s.WorkersCount)} workers", data)
            : HealthCheckResult.Degraded("no job server has sent a heartbeat recently: retrains wait until one runs", data: data);
    }
}
