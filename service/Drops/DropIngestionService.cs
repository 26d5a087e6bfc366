using Microsoft.Extensions.Options;
using Pipeline.Datasets.Intake;
using Pipeline.Service.Hosting;
using Pipeline.Service.Jobs;
using Pipeline.Service.Metrics;
using Pipeline.Storage;

namespace Pipeline.Service.Drops;

/// <summary>
/// Ingests received drops one at a time. Before the service starts listening it reconciles the intake area, so drops
/// cut off by a crash are finished or ingested again first. Only the process holding the <see cref="IntakeLease"/>
/// does; a standby reconciles and ingests once it takes the lease over.
/// </summary>
public sealed class DropIngestionService(IntakeReconciler reconciler, DropIngestor ingestor, DropRecords records, DropQueue queue,
    IntakeLease lease, JobProgressStore progress, PipelinePaths paths, IOptions<DropsOptions> options, PipelineMetrics metrics,
    TimeProvider time, ILogger<DropIngestionService> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await lease.TryTakeAsync(cancellationToken)) await ReconcileAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    private async Task ReconcileAsync(CancellationToken ct)
    {
        // Half-written files of a kill or a full disk (an image copy, a record): nothing can finish them.
        foreach (var folder in new[] { paths.Intake, paths.Datasets })
        {
            var swept = LeftoverTempFiles.Sweep(folder);
            if (swept.Count > 0)
                logger.LogInformation("Removed {Count} temporary files left in {Folder} by the last run", swept.Count, folder);
        }

        var pending = await reconciler.ReconcileAsync(ct);
        if (pending.Count > 0)
            logger.LogInformation("Resuming {Count} drops left unfinished by the last run", pending.Count);
        foreach (var id in pending) queue.Enqueue(id);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!lease.Held.IsCompleted)
        {
            await lease.TakeAsync(stoppingToken);
            await ReconcileAsync(stoppingToken);
        }

        await foreach (var id in queue.ReadAllAsync(stoppingToken))
        {
            // Shown with the jobs (GET /api/jobs/drop-<id>, the Progress page), and kept there once it ends.
            var reporter = DropProgress.Start(progress, id, metrics);
            try
            {
                logger.LogInformation("Drop {DropId} ingesting", id);
                var record = await ingestor.IngestAsync(id, reporter, stoppingToken);
                DropProgress.Finish(reporter, record);
                metrics.RecordDrop(record.State == DropState.Rejected ? "rejected" : "ingested");
                if (record.State == DropState.Rejected)
                    logger.LogWarning("Drop {DropId} rejected: {Reason}", id, record.Reason);
                else
                    logger.LogInformation(
                        "Drop {DropId} ingested: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected, dataset version {Version}",
                        id, record.Accepted, record.Duplicates, record.Rejected, record.DatasetVersion);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                logger.LogInformation("Drop {DropId} interrupted by shutdown; it is ingested again at the next start", id);
                reporter.Finish("exited", "interrupted by shutdown; ingested again at the next start");
                return;
            }
            catch (Exception e) when (StorageFaults.IsLasting(e))
            {
                // A full or read-only data root: the drop is fine, and ending it Rejected needs the same storage (that
                // write failed too, and left it Ingesting until a restart). Its work files are removed to give back
                // the space, and it is ingested again later, until it goes through once space is freed.
                var retry = TimeSpan.FromSeconds(options.Value.StorageRetrySeconds);
                logger.LogError(e, "Drop {DropId} could not be ingested: the data root is {Fault}; trying again in {Seconds} s",
                    id, StorageFaults.Classify(e), retry.TotalSeconds);
                reporter.Finish("waiting", $"the data root is {StorageFaults.Classify(e)}; ingested again in {retry.TotalSeconds} s");
                ingestor.DiscardWork(id);
                _ = RetryLaterAsync(id, retry, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One drop failing (a full disk, a bug) must not stop the service, nor wedge the drop: retrying it at
                // every start failed the same way each time. It ends Rejected with the reason (server paths cut out),
                // its files are kept in processed/<id>/ and the queue goes on; dropping it again retries it.
                logger.LogError(e, "Drop {DropId} could not be ingested; it is rejected with the error", id);
                var reason = $"ingestion failed: {ServerPaths.Hide(e.Message)}; the drop is kept in processed/{id}/ (drop it again to retry)";
                reporter.Finish("failed", reason);
                metrics.RecordDrop("failed");
                await EndFailedAsync(id, reason);
            }
        }
    }

    private async Task RetryLaterAsync(string id, TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
            queue.Enqueue(id);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the drop is unfinished, so the next start ingests it again.
        }
    }

    private async Task EndFailedAsync(string id, string reason)
    {
        try
        {
            if (records.Get(id) is { IsFinished: false } record)
                await records.SaveAsync(record with { State = DropState.Rejected, Reason = reason, Error = null, UpdatedUtc = time.GetUtcNow() });
            ingestor.MoveToProcessed(id);
        }
        catch (IOException e)
        {
            // Then it stays unfinished, and the next start tries it again.
            logger.LogError(e, "Drop {DropId}: the failure could not be recorded either", id);
        }
    }
}
