using Pipeline.Storage;
using Microsoft.Extensions.Logging;
using Pipeline.Evaluation;
using Pipeline.Progress;
using Pipeline.Promotion;
using Pipeline.Registry;

namespace Pipeline.Retraining;

/// <summary>
/// What a retrain's jobs do, whatever runs them: <see cref="TrainCandidateAsync"/> (one per architecture) and
/// <see cref="EvaluateAsync"/> (once, after the join). Each reads the record, does the work through the
/// <see cref="Retrainer"/>, and records the outcome through the record's transitions; the update that completes the
/// set of candidates queues the evaluation, exactly once (<see cref="RetrainRecord.CandidateEnded"/>).
/// </summary>
/// <remarks>
/// Both steps stop early when the retrain is superseded: the in-process signal of <see cref="RetrainCancellations"/>
/// is immediate, and the record is re-read every <see cref="SupersedePollInterval"/> so a supersede decided in another
/// worker process stops the work too. A step stopped so returns <see cref="RetrainStepResult.Exited"/>; a step stopped
/// by <c>ct</c> (the host shutting down) throws, records nothing, and is resumed after the restart.
/// </remarks>
public sealed class RetrainSteps(
    RetrainRecords records,
    RetrainCoordinator coordinator,
    RetrainCancellations cancellations,
    IRetrainJobQueue queue,
    Retrainer retrainer,
    ModelPromoter promoter,
    ILogger<RetrainSteps> logger)
{
    public static readonly TimeSpan SupersedePollInterval = TimeSpan.FromSeconds(2);

    /// <exception cref="Exception">The candidate failed; its failure is recorded before this is thrown.</exception>
    public async Task<RetrainStepResult> TrainCandidateAsync(string retrainId, string architecture, string jobId,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        if (records.Get(retrainId) is null) return RetrainStepResult.Exited("nothing to do: retrain is unknown");
        var (_, record) = await records.UpdateAsync(retrainId, r => r.CandidateStarted(architecture, jobId), ct);
        if (record is not { State: RetrainState.Training } || record.Candidates.GetValueOrDefault(architecture) is not
            { State: CandidateState.Running } outcome || outcome.JobId != jobId)
        {
            return RetrainStepResult.Exited($"nothing to do: retrain is {record.State}, candidate " +
                                            $"{record.Candidates.GetValueOrDefault(architecture)?.State.ToString() ?? "unknown"}");
        }

        using var superseded = WatchSupersede(retrainId, ct);
        try
        {
            progress?.Report(new ProgressUpdate("ingest", "reading dataset version", 0, 1));
            var plan = coordinator.PlanOf(record.DatasetVersion);
            progress?.Report(new ProgressUpdate("ingest", $"{plan.Train.Count} train, {plan.Test.Count} test images", 1, 1));
            superseded.Token.ThrowIfCancellationRequested();
            // A candidate already complete on disk (a retrain resumed after a crash) is reused, not retrained.
            var report = await retrainer.TrainCandidateAsync(architecture, plan, records.CandidateFolder(retrainId, architecture),
                reuseFinished: true, progress, siblings: record.Architectures, ct: superseded.Token);
            var recorded = await EndCandidateAsync(retrainId, architecture, outcome with
            {
                State = CandidateState.Completed, MacroAccuracy = report.MacroAccuracy,
            });
            if (recorded.State == RetrainState.Superseded) return RetrainStepResult.Exited("superseded by a newer dataset version");
            return new RetrainStepResult(true,
                $"{architecture}: cross-validated macro accuracy {report.CrossValidation?.MeanMacroAccuracy:0.000} " +
                $"± {report.CrossValidation?.SdMacroAccuracy:0.000}; {report.MacroAccuracy:0.000} on {report.TestImages} test images");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return RetrainStepResult.Exited("superseded by a newer dataset version");
        }
        catch (Exception e) when (e is not OperationCanceledException && !StorageFaults.IsLasting(e))
        {
            logger.LogError(e, "Candidate {Architecture} of retrain {RetrainId} failed", architecture, retrainId);
            await EndCandidateAsync(retrainId, architecture, outcome with { State = CandidateState.Failed, Error = e.Message });
            throw;
        }
    }

    /// <summary>
    /// The last step: the combined candidate (recorded as it goes), the choice among all candidates (recorded), and the
    /// promotion decision. Its progress names these stages (<see cref="EvaluationStages"/>).
    /// </summary>
    /// <exception cref="Exception">Evaluation failed; the retrain is recorded Failed before this is thrown.</exception>
    public async Task<RetrainStepResult> EvaluateAsync(string retrainId, string jobId, IProgress<ProgressUpdate>? progress,
        CancellationToken ct)
    {
        var record = records.Get(retrainId);
        if (record is not { State: RetrainState.Evaluating })
            return RetrainStepResult.Exited($"nothing to do: retrain is {record?.State.ToString() ?? "unknown"}");

        using var superseded = WatchSupersede(retrainId, ct);
        var stages = new EvaluationStages(progress);
        try
        {
            var plan = coordinator.PlanOf(record.DatasetVersion);
            string FolderOf(string candidate) => records.CandidateFolder(retrainId, candidate);
            var candidates = record.Candidates.Where(c => c.Value.State == CandidateState.Completed)
                .Select(c => ModelArtifact.ReadManifest(FolderOf(c.Key)).Metrics).ToList();

            stages.Enter(EvaluationStages.Combined);
            if (retrainer.CombinedCandidate(candidates) is { } combined)
                candidates.Add(await TrainCombinedAsync(retrainId, combined, jobId, plan, candidates, FolderOf, stages, superseded.Token));

            var selection = retrainer.Choose(candidates);
            stages.Enter(EvaluationStages.Refit, selection.Best.Architecture);
            selection = await retrainer.RefitChosenAsync(plan, selection, FolderOf, stages, superseded.Token);
            // Registering is the first thing the decision does: a retrain superseded by now registers nothing.
            superseded.Token.ThrowIfCancellationRequested();
            stages.Enter(EvaluationStages.Scoring, selection.Best.Architecture);
            var (promoted, version, reason) = await promoter.DecideAsync(FolderOf(selection.Best.Architecture), plan,
                selection.Explanation, stages, superseded.Token);
            var (_, after) = await records.UpdateAsync(retrainId,
                r => r.Decided(selection.Best.Architecture, version, promoted, reason), CancellationToken.None);
            if (after.State != RetrainState.Completed)
                return RetrainStepResult.Exited($"model v{version} registered, but the retrain is {after.State} now");
            logger.LogInformation("Retrain {RetrainId}: model v{Version} ({Chosen}) {Outcome}: {Reason}", retrainId, version,
                selection.Best.Architecture, promoted ? "promoted" : "not promoted", reason);
            return new RetrainStepResult(true, reason);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return RetrainStepResult.Exited("superseded by a newer dataset version");
        }
        catch (Exception e) when (e is not OperationCanceledException && !StorageFaults.IsLasting(e))
        {
            logger.LogError(e, "Evaluation of retrain {RetrainId} failed", retrainId);
            await records.UpdateAsync(retrainId, r => r.EvaluationFailed(e.Message), CancellationToken.None);
            throw;
        }
    }

    private async Task<CandidateReport> TrainCombinedAsync(string retrainId, string name, string jobId, Training.TrainingPlan plan,
        IReadOnlyList<CandidateReport> singles, Func<string, string> folderOf, IProgress<ProgressUpdate> progress, CancellationToken ct)
    {
        var running = new CandidateOutcome { State = CandidateState.Running, JobId = jobId };
        await records.UpdateAsync(retrainId, r => r.WithCombined(new CombinedCandidate(name, running)), CancellationToken.None);
        var report = await retrainer.TrainCombinedAsync(name, plan, singles, folderOf, reuseFinished: true, progress, ct);
        await records.UpdateAsync(retrainId, r => r.WithCombined(new CombinedCandidate(name,
            running with { State = CandidateState.Completed, MacroAccuracy = report.MacroAccuracy })), CancellationToken.None);
        return report;
    }

    /// <summary>Records a candidate's end; the update that completes the set queues evaluation (exactly once).</summary>
    /// <returns>The record after the update.</returns>
    private async Task<RetrainRecord> EndCandidateAsync(string retrainId, string architecture, CandidateOutcome outcome)
    {
        // Not cancelled: an outcome that was reached must be recorded, or the join would wait for it for ever.
        var (before, after) = await records.UpdateAsync(retrainId, r => r.CandidateEnded(architecture, outcome),
            CancellationToken.None);
        if (before.State == RetrainState.Training && after.State == RetrainState.Evaluating)
        {
            string evaluate;
            try
            {
                evaluate = queue.EnqueueEvaluation(retrainId);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Left Evaluating with no job, the retrain would wait until a restart resumed it. It fails now, with
                // the reason; the next trigger tries it again and reuses every completed candidate.
                logger.LogError(e, "The evaluation of retrain {RetrainId} could not be queued", retrainId);
                (_, after) = await records.UpdateAsync(retrainId,
                    r => r.EvaluationFailed($"its job could not be queued: {e.Message}"), CancellationToken.None);
                return after;
            }

            await records.UpdateAsync(retrainId, r => r.EvaluationQueued(evaluate), CancellationToken.None);
            logger.LogInformation("Every candidate of retrain {RetrainId} is done; evaluation queued as job {JobId}", retrainId, evaluate);
        }
        else if (before.State == RetrainState.Training && after.State == RetrainState.Failed)
        {
            logger.LogWarning("Retrain {RetrainId} failed: {Reason}", retrainId, after.Reason);
        }

        return after;
    }

    /// <summary>A token cancelled by <paramref name="ct"/>, by this process's supersede signal, or once the record,
    /// re-read every <see cref="SupersedePollInterval"/>, says another process superseded the retrain.</summary>
    private CancellationTokenSource WatchSupersede(string retrainId, CancellationToken ct)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, cancellations.TokenFor(retrainId));
        _ = PollAsync(linked);
        return linked;

        async Task PollAsync(CancellationTokenSource source)
        {
            try
            {
                using var timer = new PeriodicTimer(SupersedePollInterval);
                while (await timer.WaitForNextTickAsync(source.Token))
                {
                    if (ReadState(retrainId) == RetrainState.Superseded)
                    {
                        await source.CancelAsync();
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Cancelled already: nothing left to watch.
            }
            catch (ObjectDisposedException)
            {
                // The step ended and disposed the source: nothing left to watch.
            }
        }
    }

    private RetrainState? ReadState(string retrainId)
    {
        try
        {
            return records.Get(retrainId)?.State;
        }
        catch (IOException e)
        {
            // A read that lost a race with the file system is tried again on the next tick.
            logger.LogDebug(e, "Reading retrain {RetrainId} to watch for a supersede failed", retrainId);
            return null;
        }
    }
}
