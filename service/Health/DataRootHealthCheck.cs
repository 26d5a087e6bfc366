using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pipeline.Service.Hosting;
using Pipeline.Storage;

namespace Pipeline.Service.Health;

/// <summary>
/// Unhealthy when the data root is gone (deleted or unmounted while running) or cannot be written (read-only): every
/// drop, retrain and promotion would fail then, so the service is not ready even if a model still answers from memory.
/// A full disk is reported as degraded: reads and predictions still work.
/// </summary>
public sealed class DataRootHealthCheck(PipelinePaths paths) : IHealthCheck
{
    public const string Name = "dataRoot";
    private const string ProbeFile = ".health-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(paths.DataRoot))
            return HealthCheckResult.Unhealthy("the data root is gone (deleted or unmounted); restore it or restart the service");
        try
        {
            // Writing is what drops, retrains and promotions need; an empty file costs no space, so a full disk still
            // passes here and is reported by the write that fails (507).
            string probe = Path.Combine(paths.DataRoot, ProbeFile);
            await File.WriteAllBytesAsync(probe, [], cancellationToken);
            File.Delete(probe);
            return HealthCheckResult.Healthy("the data root is writable");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StorageFaults.Classify(e) switch
            {
                StorageFault.ReadOnly => HealthCheckResult.Unhealthy("the data root is read-only; drops, retrains and promotions cannot be written"),
                StorageFault.Full => HealthCheckResult.Degraded("the data root is full; drops and retrains fail until space is freed"),
                _ => HealthCheckResult.Unhealthy($"the data root cannot be written: {e.GetType().Name}"),
            };
        }
    }
}
