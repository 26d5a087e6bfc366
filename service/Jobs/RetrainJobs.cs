using Hangfire;
using Hangfire.Server;
using Pipeline.Promotion;
using Pipeline.Retraining;
using Pipeline.Service.Metrics;
using Pipeline.Storage;

namespace Pipeline.Service.Jobs;

/// <summary>
/// The Hangfire jobs of a retrain, thin adapters over the pipeline's <see cref="Retrainer"/>: one
/// <see cref="TrainCandidateAsync"/> per architecture (so candidates spread over workers), then one
/// <see cref="EvaluateAndPromoteAsync"/> (see <see cref="RetrainCoordinator"/> for the join). Arguments are the
/// retrain id and architecture only; everything else is read from the data root. What these methods add is Hangfire's
/// part: progress, cancellation, the record of each outcome and the enqueueing of the next step.
/// </summary>
/// <remarks>
/// Retries are off: a candidate that fails on real data fails the same way the next nine times, and each try costs
/// minutes of CPU. The failure is recorded with its reason and the job shows as Failed; the next trigger tries again.
/// </remarks>
public sealed class RetrainJobs(
    RetrainRecords records,
    RetrainCoordinator coordinator,
    RetrainCancellations cancellations,
    Retrainer retrainer,
    ModelPromoter promoter,
    JobProgressStore progressStore,
    RunningJobKeys running,
    IBackgroundJobClient jobs,
    PipelineMetrics metrics,
    ILogger<RetrainJobs> logger)
{
    /// <summary>How long a job that met a full or read-only data root waits before it is run again.</summary>
    private static readonly TimeSpan StorageRetry = TimeSpan.FromSeconds(30);

    /// <summary>The recurring retrain (<c>Pipeline:RetrainCron</c>): a no-op when the latest version was already retrained.</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Scheduled retrain check")]
    public async Task RecurringRetrainAsync(CancellationToken ct) => await coordinator.RequestLatestAsync("cron", ct);

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Train {1} for {0}")]
    public async Task<string> TrainCandidateAsync(string retrainId, string architecture, PerformContext? context, CancellationToken ct)
    {
        var jobId = context?.BackgroundJob.Id ?? $"{retrainId}/{architecture}";
        var record = records.Get(retrainId);
        var progress = new JobProgressReporter(progressStore, jobId, "candidate", retrainId, record?.DatasetVersion ?? 0, architecture, metrics);
        if (record is not { State: RetrainState.Training } || !record.Candidates.TryGetValue(architecture, out var outcome) || outcome.IsDone)
        {
            return Exit(progress, $"nothing to do: retrain is {record?.State.ToString() ?? "unknown"}, candidate {(record?.Candidates.GetValueOrDefault(architecture)?.State.ToString() ?? "unknown")}");
        }

        var key = $"{retrainId}/{architecture}";
        if (!running.TryStart(key))
        {
            return Exit(progress, "another copy of this job is running it");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cancellations.TokenFor(retrainId));
        try
        {
            progress.Report(new Progress.ProgressUpdate("ingest", "reading dataset version", 0, 1));
            var plan = coordinator.PlanOf(record.DatasetVersion);
            progress.Report(new Progress.ProgressUpdate("ingest", $"{plan.Train.Count} train, {plan.Test.Count} test images", 1, 1));
            // A candidate already complete on disk (a retrain resumed after a crash) is reused, not retrained.
            var report = await retrainer.TrainCandidateAsync(architecture, plan, records.CandidateFolder(retrainId, architecture),
                reuseFinished: true, progress, linked.Token);
            await RecordCandidateAsync(retrainId, architecture, outcome with
            {
                State = CandidateState.Completed, JobId = jobId, MacroAccuracy = report.MacroAccuracy,
            });
            var summary = $"{architecture}: cross-validated macro accuracy {report.CrossValidation?.MeanMacroAccuracy:0.000} " +
                          $"± {report.CrossValidation?.SdMacroAccuracy:0.000}; {report.MacroAccuracy:0.000} on {report.TestImages} test images";
            logger.LogInformation("Candidate {Architecture} of retrain {RetrainId}: {Summary}", architecture, retrainId, summary);
            progress.Finish("succeeded", summary);
            return summary; // shown as the job's result on Hangfire's job page
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Exit(progress, "superseded by a newer dataset version");
        }
        catch (OperationCanceledException)
        {
            // The server is shutting down: nothing is recorded, start-up reconciliation re-creates the job.
            progress.Finish("exited", "stopped by shutdown; resumes after restart");
            throw;
        }
        catch (Exception e) when (StorageFaults.IsLasting(e))
        {
            // A full or read-only data root: recording a failure needs the same storage (that write failed too, and
            // left the retrain Training for good, so POST /api/retrain returned it and started nothing). The candidate
            // stays Pending and the job is scheduled again, until the storage takes writes.
            logger.LogError(e, "Candidate {Architecture} of retrain {RetrainId}: the data root is {Fault}; trying again in {Seconds} s",
                architecture, retrainId, StorageFaults.Classify(e), StorageRetry.TotalSeconds);
            jobs.Schedule<RetrainJobs>(j => j.TrainCandidateAsync(retrainId, architecture, null, CancellationToken.None), StorageRetry);
            return Exit(progress, $"the data root is {StorageFaults.Classify(e)}; tried again in {StorageRetry.TotalSeconds} s");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Candidate {Architecture} of retrain {RetrainId} failed", architecture, retrainId);
            await RecordCandidateAsync(retrainId, architecture, outcome with
            {
                State = CandidateState.Failed, JobId = jobId, Error = e.Message,
            });
            progress.Finish("failed", e.Message);
            throw;
        }
        finally
        {
            running.Finish(key);
        }
    }

    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Evaluate and promote {0}")]
    public async Task<string> EvaluateAndPromoteAsync(string retrainId, PerformContext? context, CancellationToken ct)
    {
        var jobId = context?.BackgroundJob.Id ?? $"{retrainId}/evaluate";
        var record = records.Get(retrainId);
        var progress = new JobProgressReporter(progressStore, jobId, "evaluate", retrainId, record?.DatasetVersion ?? 0, null, metrics);
        if (record is not { State: RetrainState.Evaluating })
        {
            return Exit(progress, $"nothing to do: retrain is {record?.State.ToString() ?? "unknown"}");
        }

        // Two deliveries of this job must not both register and decide; the second exits.
        var key = $"{retrainId}/evaluate";
        if (!running.TryStart(key))
        {
            return Exit(progress, "another copy of this job is running it");
        }

        try
        {
            if (records.Get(retrainId) is not { State: RetrainState.Evaluating })
            {
                return Exit(progress, "another copy of this job finished it");
            }

            var completed = record.Candidates.Where(c => c.Value.State == CandidateState.Completed).Select(c => c.Key).ToList();
            var (promoted, version, reason) = await retrainer.EvaluateAndPromoteAsync(coordinator.PlanOf(record.DatasetVersion),
                completed, candidate => records.CandidateFolder(retrainId, candidate), promoter, progress, ct);
            logger.LogInformation("Retrain {RetrainId}: model v{Version} {Outcome}: {Reason}", retrainId, version,
                promoted ? "promoted" : "not promoted", reason);
            await records.UpdateAsync(retrainId, r => r with
            {
                State = RetrainState.Completed, RegisteredVersion = version, Promoted = promoted, Reason = reason,
            }, ct);
            progress.Finish("succeeded", reason);
            metrics.RecordRetrain(promoted ? "promoted" : "not_promoted", DateTimeOffset.UtcNow - record.CreatedUtc);
            return reason;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            progress.Finish("exited", "stopped by shutdown; resumes after restart");
            throw;
        }
        catch (Exception e) when (StorageFaults.IsLasting(e))
        {
            // As for a candidate: the retrain stays Evaluating and the evaluation is scheduled again.
            logger.LogError(e, "Evaluation of retrain {RetrainId}: the data root is {Fault}; trying again in {Seconds} s",
                retrainId, StorageFaults.Classify(e), StorageRetry.TotalSeconds);
            jobs.Schedule<RetrainJobs>(j => j.EvaluateAndPromoteAsync(retrainId, null, CancellationToken.None), StorageRetry);
            return Exit(progress, $"the data root is {StorageFaults.Classify(e)}; tried again in {StorageRetry.TotalSeconds} s");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Evaluation of retrain {RetrainId} failed", retrainId);
            await records.UpdateAsync(retrainId, r => r with { State = RetrainState.Failed, Reason = $"evaluation failed: {e.Message}" },
                CancellationToken.None);
            progress.Finish("failed", e.Message);
            metrics.RecordRetrain("failed", DateTimeOffset.UtcNow - record.CreatedUtc);
            throw;
        }
        finally
        {
            running.Finish(key);
        }
    }

    /// <summary>Records a candidate's end; the update that completes the set enqueues evaluation (exactly once).</summary>
    private async Task RecordCandidateAsync(string retrainId, string architecture, CandidateOutcome outcome)
    {
        var (before, after) = await records.UpdateAsync(retrainId, r =>
        {
            if (r.State != RetrainState.Training) return r;
            var candidates = new Dictionary<string, CandidateOutcome>(r.Candidates) { [architecture] = outcome };
            var next = r with { Candidates = candidates };
            if (!next.AllCandidatesDone) return next;
            return candidates.Values.Any(c => c.State == CandidateState.Completed)
                ? next with { State = RetrainState.Evaluating }
                : next with { State = RetrainState.Failed, Reason = "every candidate failed: " +
                    string.Join("; ", candidates.Select(c => $"{c.Key}: {c.Value.Error}")) };
        }, CancellationToken.None);

        if (before.State == RetrainState.Training && after.State == RetrainState.Evaluating)
        {
            var evaluate = jobs.Enqueue<RetrainJobs>(j => j.EvaluateAndPromoteAsync(retrainId, null, CancellationToken.None));
            await records.UpdateAsync(retrainId, r => r with { EvaluateJobId = evaluate }, CancellationToken.None);
            logger.LogInformation("Every candidate of retrain {RetrainId} is done; evaluation queued as job {JobId}", retrainId, evaluate);
        }
    }

    private string Exit(JobProgressReporter progress, string why)
    {
        logger.LogInformation("Job {JobId} exits early: {Why}", progress.Current.JobId, why);
        progress.Finish("exited", why);
        return $"exited: {why}";
    }
}
