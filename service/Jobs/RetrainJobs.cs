using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using Pipeline.Retraining;
using Pipeline.Service.Coordination;
using Pipeline.Service.Metrics;
using Pipeline.Storage;

namespace Pipeline.Service.Jobs;

/// <summary>
/// The Hangfire jobs of a retrain, thin adapters over the pipeline's <see cref="RetrainSteps"/>: one
/// <see cref="TrainCandidateAsync"/> per architecture (so candidates spread over workers), then one
/// <see cref="EvaluateAndPromoteAsync"/> (queued by the join, see <see cref="RetrainCoordinator"/>). Arguments are the
/// retrain id and architecture only; everything else is read from the data root. What these methods add is Hangfire's
/// part: the job id, progress on the dashboard, one copy of a job at a time across workers, and the job's end state.
/// </summary>
/// <remarks>
/// Retries are off: a candidate that fails on real data fails the same way the next nine times, and each try costs
/// minutes of CPU. The failure is recorded with its reason and the job shows as Failed; the next trigger tries again.
/// </remarks>
public sealed class RetrainJobs(
    RetrainRecords records,
    RetrainCoordinator coordinator,
    RetrainSteps steps,
    JobProgressStore progressStore,
    RunningJobKeys running,
    IBackgroundJobClient jobs,
    PipelineMetrics metrics,
    IOptions<JobsOptions> options,
    ILogger<RetrainJobs> logger)
{
    /// <summary>How long a job that met a full or read-only data root waits before it is run again.</summary>
    private TimeSpan StorageRetry => TimeSpan.FromSeconds(options.Value.StorageRetrySeconds);

    /// <summary>The recurring retrain (<c>Pipeline:RetrainCron</c>): a no-op when the latest version was already retrained.</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Scheduled retrain check")]
    public async Task RecurringRetrainAsync(CancellationToken ct) => await coordinator.RequestLatestAsync("cron", ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Train {1} for {0}")]
    public Task<string> TrainCandidateAsync(string retrainId, string architecture, PerformContext? context, CancellationToken ct)
    {
        var jobId = context?.BackgroundJob.Id ?? $"{retrainId}/{architecture}";
        var progress = new JobProgressReporter(progressStore, jobId, "candidate", retrainId, DatasetVersionOf(retrainId), architecture, metrics);
        return RunAsync($"{retrainId}/{architecture}", progress, () => steps.TrainCandidateAsync(retrainId, architecture, jobId, progress, ct),
            retry: () => jobs.Schedule<RetrainJobs>(j => j.TrainCandidateAsync(retrainId, architecture, null, CancellationToken.None), StorageRetry));
    }

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Evaluate and promote {0}")]
    public Task<string> EvaluateAndPromoteAsync(string retrainId, PerformContext? context, CancellationToken ct)
    {
        var jobId = context?.BackgroundJob.Id ?? $"{retrainId}/evaluate";
        var progress = new JobProgressReporter(progressStore, jobId, "evaluate", retrainId, DatasetVersionOf(retrainId), null, metrics);
        return RunAsync($"{retrainId}/evaluate", progress, () => steps.EvaluateAsync(retrainId, jobId, progress, ct),
            retry: () => jobs.Schedule<RetrainJobs>(j => j.EvaluateAndPromoteAsync(retrainId, null, CancellationToken.None), StorageRetry),
            ended: () => RecordRetrainEnd(retrainId));
    }

    /// <summary>Runs <paramref name="step"/> unless another copy of the job runs it; the returned sentence is shown as the
    /// job's result on Hangfire's job page. <paramref name="retry"/> schedules the job again when the data root is full or
    /// read-only; <paramref name="ended"/> runs once the step has worked or failed.</summary>
    private async Task<string> RunAsync(string key, JobProgressReporter progress, Func<Task<RetrainStepResult>> step,
        Action retry, Action? ended = null)
    {
        // Two deliveries of one job (one re-created by a worker's start-up resume while another worker still runs the
        // first) must not work on the same folder at once: the second exits.
        if (!running.TryStart(key)) return Exit(progress, "another copy of this job is running it");
        try
        {
            var result = await step();
            if (!result.Worked) return Exit(progress, result.Message);
            logger.LogInformation("Job {JobId}: {Summary}", progress.Current.JobId, result.Message);
            progress.Finish("succeeded", result.Message);
            ended?.Invoke();
            return result.Message;
        }
        catch (OperationCanceledException)
        {
            // The server is shutting down: nothing is recorded, start-up reconciliation re-creates the job.
            progress.Finish("exited", "stopped by shutdown; resumes after restart");
            throw;
        }
        catch (Exception e) when (StorageFaults.IsLasting(e))
        {
            // A full or read-only data root: recording a failure needs the same storage (that write fails too, and would
            // leave the retrain Training for good, so POST /api/retrain returned it and started nothing). RetrainSteps
            // leaves the record as it is; the job is scheduled again until the storage takes writes.
            logger.LogError(e, "Job {JobId}: the data root is {Fault}; trying again in {Seconds} s", progress.Current.JobId,
                StorageFaults.Classify(e), StorageRetry.TotalSeconds);
            retry();
            return Exit(progress, $"the data root is {StorageFaults.Classify(e)}; tried again in {StorageRetry.TotalSeconds} s");
        }
        catch (Exception e)
        {
            // RetrainSteps has recorded the failure and logged it; the job shows as Failed with the reason.
            progress.Finish("failed", e.Message);
            ended?.Invoke();
            throw;
        }
        finally
        {
            running.Finish(key);
        }
    }

    /// <summary>The retrain's duration by outcome (<see cref="PipelineMetrics"/>), once its evaluation has decided or failed.</summary>
    private void RecordRetrainEnd(string retrainId)
    {
        if (records.Get(retrainId) is not { State: RetrainState.Completed or RetrainState.Failed } record) return;
        var outcome = record.State == RetrainState.Failed ? "failed" : record.Promoted == true ? "promoted" : "not_promoted";
        metrics.RecordRetrain(outcome, DateTimeOffset.UtcNow - record.CreatedUtc);
    }

    private int DatasetVersionOf(string retrainId) => records.Get(retrainId)?.DatasetVersion ?? 0;

    private string Exit(JobProgressReporter progress, string why)
    {
        logger.LogInformation("Job {JobId} exits early: {Why}", progress.Current.JobId, why);
        progress.Finish("exited", why);
        return $"exited: {why}";
    }
}
