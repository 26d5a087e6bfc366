using System.Diagnostics.Metrics;
using Hangfire;
using Pipeline.Service.Drops;
using Pipeline.Service.Predict;

namespace Pipeline.Service.Metrics;

/// <summary>
/// States read when <c>/metrics</c> is scraped: the queue depths (drops waiting to be ingested, Hangfire jobs enqueued)
/// and the serving model's version. Observed rather than counted, so they are right after a restart too.
/// </summary>
public sealed class PipelineGauges
{
    public PipelineGauges(PipelineMetrics metrics, DropQueue drops, JobStorage storage, ServingModel serving,
        ILogger<PipelineGauges> logger)
    {
        metrics.Meter.CreateObservableGauge("pipeline.queue.depth", () => QueueDepths(drops, storage, logger), "{item}",
            "Work waiting: drops received and not yet ingested (queue=drops), Hangfire jobs enqueued and not started (queue=jobs).");
        // -1 while no model serves, so that "no model" is a value an alert can match rather than a missing series.
        metrics.Meter.CreateObservableGauge("pipeline.serving.model.version", () => serving.Version ?? -1, "{version}",
            "The model version answering predict requests; -1 while none serves.");
    }

    private static IEnumerable<Measurement<long>> QueueDepths(DropQueue drops, JobStorage storage, ILogger logger)
    {
        yield return new Measurement<long>(drops.Count, new KeyValuePair<string, object?>("queue", "drops"));
        long? enqueued;
        try
        {
            // One statistics query per scrape; the same call the health check makes.
            enqueued = storage.GetMonitoringApi().GetStatistics().Enqueued;
        }
        catch (Exception e)
        {
            // A scrape must not fail because the job storage is down: the series is missing and the health check says why.
            logger.LogWarning(e, "Job queue depth not read for /metrics: the job storage did not answer");
            enqueued = null;
        }

        if (enqueued is { } n) yield return new Measurement<long>(n, new KeyValuePair<string, object?>("queue", "jobs"));
    }
}
