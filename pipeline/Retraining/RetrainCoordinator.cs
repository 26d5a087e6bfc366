using Microsoft.Extensions.Logging;
using Pipeline.Datasets.Store;
using Pipeline.Storage;
using Pipeline.Training;

namespace Pipeline.Retraining;

/// <summary>
/// Starts retrains, keyed by dataset version: always of the latest version, once per version, superseding active
/// retrains of older versions. Also resumes unfinished retrains after a restart.
/// </summary>
/// <remarks>
/// The join of the per-architecture jobs (Hangfire batches are a paid feature) works through the
/// <see cref="RetrainRecord"/>: each candidate job, when it ends, records its outcome under the records' lock, and the
/// update that makes every candidate done also moves the retrain from Training to Evaluating
/// (<see cref="RetrainRecord.CandidateEnded"/>). Only that one caller sees the transition, so exactly one evaluate job
/// is enqueued (<see cref="RetrainSteps"/>). Continuations were the alternative, but a continuation waits on one
/// parent, not on all of them, and is lost with in-memory storage when the process dies; the record survives and lets
/// start-up reconciliation re-create whatever is missing.
/// </remarks>
/// <param name="architectures">The architectures every retrain trains (<see cref="Retrainer.ArchitecturesOrDefault"/>).</param>
/// <param name="gate">Held for every request: every worker's triggers and the web's retrain request may ask for the same
/// version at once, in several processes.</param>
public sealed class RetrainCoordinator(
    DatasetStore datasets,
    RetrainRecords records,
    RetrainCancellations cancellations,
    IRetrainJobQueue queue,
    Retrainer retrainer,
    IReadOnlyList<string> architectures,
    ISharedLock gate,
    ILogger<RetrainCoordinator> logger)
{
    public IReadOnlyList<string> Architectures => architectures;

    /// <summary>
    /// Retrains the latest dataset version unless it already has a retrain (then returns that one, Created false).
    /// Null when the store has no version yet.
    /// </summary>
    public async Task<(RetrainRecord Record, bool Created)?> RequestLatestAsync(string trigger, CancellationToken ct)
    {
        await using var held = await gate.AcquireAsync(ct);
        var latest = datasets.Latest();
        if (latest is null) return null;
        await SupersedeOlderThanAsync(latest.Version, ct);

        var id = RetrainRecord.IdFor(latest.Version);
        var existing = records.Get(id);
        if (existing is not null && existing.State != RetrainState.Failed)
        {
            if (existing.CandidatesNeverQueued() is { Count: > 0 } unqueued)
            {
                // The job storage failed while this retrain was being created: without this it would wait for a restart.
                logger.LogWarning("Retrain {RetrainId}: queuing {Candidates}, never queued when it was created ({Trigger} trigger)",
                    id, string.Join(", ", unqueued), trigger);
                var jobIds = unqueued.ToDictionary(a => a, a => queue.EnqueueCandidate(id, a));
                (_, existing) = await records.UpdateAsync(id, r => r.CandidatesQueued(jobIds), ct);
                return (existing, false);
            }

            logger.LogDebug("Retrain {RetrainId} of dataset version {DatasetVersion} already exists ({State}); {Trigger} trigger ignored",
                id, latest.Version, existing.State, trigger);
            return (existing, false);
        }

        var plan = Plan(latest);
        var record = RetrainRecord.Start(latest.Version, trigger, architectures, plan.IsUsable ? null : plan.Split.Error,
            DateTimeOffset.UtcNow);
        if (existing is not null)
        {
            // A failed retrain of this version is tried again from scratch; completed candidates are still reused.
            (_, record) = await records.UpdateAsync(id, _ => record with { Trigger = $"{trigger} (retry)" }, ct);
        }
        else
        {
            (record, _) = await records.CreateAsync(record, ct);
        }

        if (!plan.IsUsable)
        {
            logger.LogWarning("Dataset version {DatasetVersion} is not trainable yet: {Reason}", latest.Version, plan.Split.Error);
            return (record, true);
        }

        logger.LogInformation("Retrain {RetrainId} of dataset version {DatasetVersion} ({Trigger}): {Count} architectures",
            id, latest.Version, trigger, architectures.Count);
        record = await EnqueueMissingAsync(record, ct);
        return (record, true);
    }

    /// <summary>
    /// After a restart: re-creates the jobs of every active retrain of the latest version (a candidate already complete
    /// on disk is reused by its job, not retrained) and supersedes active retrains of older versions.
    /// </summary>
    public async Task ResumeAsync(CancellationToken ct)
    {
        await using var held = await gate.AcquireAsync(ct);
        var latest = datasets.Latest();
        if (latest is null) return;
        await SupersedeOlderThanAsync(latest.Version, ct);
        if (records.Get(RetrainRecord.IdFor(latest.Version)) is { IsActive: true } active)
        {
            logger.LogInformation("Resuming retrain {RetrainId} ({State}) after start-up", active.Id, active.State);
            await EnqueueMissingAsync(active, ct);
        }
    }

    /// <summary>
    /// The version's plan, with the candidates of every earlier version's retrain, newest first, as the previous fits a
    /// candidate may reuse the choice of (<see cref="IncrementalReuse"/>).
    /// </summary>
    /// <exception cref="PipelineException">The version is missing from the store.</exception>
    public TrainingPlan PlanOf(int datasetVersion) =>
        Plan(datasets.Get(datasetVersion)
             ?? throw new PipelineException($"Dataset version {datasetVersion} is missing from the store.")) with
        {
            PreviousCandidateFolders = records.List().Where(r => r.DatasetVersion < datasetVersion)
                .Select(r => records.CandidatesFolder(r.Id)).ToList(),
        };

    /// <summary>The version's split and folds, which every candidate and the champion are judged on.</summary>
    private TrainingPlan Plan(DatasetVersion version) =>
        retrainer.Plan(datasets.ImagesOf(version), $"dataset:{version.Version}", version.Version);

    /// <summary>Queues what the record still needs: the evaluate job once every candidate is done, else a job for each
    /// candidate not done (a Running one too: its process may be gone, and a second copy of a live job exits).</summary>
    private async Task<RetrainRecord> EnqueueMissingAsync(RetrainRecord record, CancellationToken ct)
    {
        if (record.State == RetrainState.Evaluating || (record.State == RetrainState.Training && record.AllCandidatesDone))
        {
            var evaluate = queue.EnqueueEvaluation(record.Id);
            (_, record) = await records.UpdateAsync(record.Id, r => r.EvaluationQueued(evaluate), ct);
            return record;
        }

        var jobIds = record.Candidates.Where(c => !c.Value.IsDone)
            .ToDictionary(c => c.Key, c => queue.EnqueueCandidate(record.Id, c.Key));
        (_, record) = await records.UpdateAsync(record.Id, r => r.CandidatesQueued(jobIds), ct);
        return record;
    }

    private async Task SupersedeOlderThanAsync(int version, CancellationToken ct)
    {
        foreach (var older in records.List().Where(r => r.DatasetVersion < version && r.IsActive))
        {
            await records.UpdateAsync(older.Id, r => r.SupersededBy(version), ct);
            cancellations.Cancel(older.Id);
            logger.LogInformation("Retrain {RetrainId} superseded by dataset version {DatasetVersion}", older.Id, version);
        }
    }
}
