using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using Pipeline.Evaluation;
using Pipeline.Registry;
using Pipeline.Service.Hosting;
using Pipeline.Service.Predict;
using Pipeline.Training;

namespace Pipeline.Service.Jobs;

/// <summary>
/// The Hangfire jobs of a retrain: one <see cref="TrainCandidateAsync"/> per architecture, then one
/// <see cref="EvaluateAndPromoteAsync"/> (see <see cref="RetrainCoordinator"/> for the join). Arguments are the
/// retrain id and architecture only; everything else is read from the data root.
/// </summary>
/// <remarks>
/// Retries are off: a candidate that fails on real data fails the same way the next nine times, and each try costs
/// minutes of CPU. The failure is recorded with its reason and the job shows as Failed; the next trigger tries again.
/// </remarks>
public sealed class RetrainJobs(
    RetrainRecords records,
    RetrainCoordinator coordinator,
    RetrainCancellations cancellations,
    ModelRegistry registry,
    PipelineEnvironment pipeline,
    ModelServingService serving,
    ServingModel servingModel,
    JobProgressStore progressStore,
    RunningJobKeys running,
    IBackgroundJobClient jobs,
    IOptions<PipelineOptions> options,
    ILogger<RetrainJobs> logger)
{
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
        var progress = new JobProgressReporter(progressStore, jobId, "candidate", retrainId, record?.DatasetVersion ?? 0, architecture);
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
            var report = await TrainOrReuseAsync(record, architecture, progress, linked.Token);
            await RecordCandidateAsync(retrainId, architecture, outcome with
            {
                State = CandidateState.Completed, JobId = jobId, MacroAccuracy = report.MacroAccuracy,
            });
            var summary = $"{architecture}: macro accuracy {report.MacroAccuracy:0.000} on {report.TestImages} test images";
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
        var progress = new JobProgressReporter(progressStore, jobId, "evaluate", retrainId, record?.DatasetVersion ?? 0, null);
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

            var (promoted, version, reason) = await DecideAsync(record, progress, ct);
            await records.UpdateAsync(retrainId, r => r with
            {
                State = RetrainState.Completed, RegisteredVersion = version, Promoted = promoted, Reason = reason,
            }, ct);
            progress.Finish("succeeded", reason);
            return reason;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            progress.Finish("exited", "stopped by shutdown; resumes after restart");
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Evaluation of retrain {RetrainId} failed", retrainId);
            await records.UpdateAsync(retrainId, r => r with { State = RetrainState.Failed, Reason = $"evaluation failed: {e.Message}" },
                CancellationToken.None);
            progress.Finish("failed", e.Message);
            throw;
        }
        finally
        {
            running.Finish(key);
        }
    }

    private async Task<CandidateReport> TrainOrReuseAsync(RetrainRecord record, string architecture,
        JobProgressReporter progress, CancellationToken ct)
    {
        var folder = records.CandidateFolder(record.Id, architecture);
        if (File.Exists(Path.Combine(folder, ModelArtifact.ManifestFileName)))
        {
            logger.LogInformation("Candidate {Architecture} of retrain {RetrainId} is complete on disk; reused", architecture, record.Id);
            return ModelArtifact.ReadManifest(folder).Metrics;
        }

        progress.Report(new Progress.ProgressUpdate("ingest", "reading dataset version", 0, 1));
        var split = coordinator.SplitOf(record.DatasetVersion);
        if (!split.IsUsable) throw new PipelineException(split.Error);
        progress.Report(new Progress.ProgressUpdate("ingest", $"{split.Train.Count} train, {split.Test.Count} test images", 1, 1));

        var request = new TrainingRequest
        {
            Train = split.Train,
            Test = split.Test,
            Labels = split.Labels,
            Seed = options.Value.Seed,
            TestFraction = options.Value.TestFraction,
            DataSource = $"dataset:{record.DatasetVersion}",
            DatasetVersion = record.DatasetVersion,
        };

        // Trained beside the final name and renamed in one step, so candidates/<arch>/ exists only when complete
        // (CandidateTrainer rewrites its folder once more after measuring latency).
        var candidates = Path.GetDirectoryName(folder)!;
        foreach (var stale in Directory.Exists(candidates) ? Directory.EnumerateDirectories(candidates, $".{architecture}.partial-*") : [])
            Directory.Delete(stale, recursive: true);
        var partial = Path.Combine(candidates, $".{architecture}.partial-{Guid.NewGuid():N}");
        try
        {
            var trained = await pipeline.CreateCandidateTrainer().TrainAsync(architecture, request,
                Path.Combine(partial, "model"), progress, ct);
            Directory.Move(trained.ModelFolder, folder);
            logger.LogInformation("Candidate {Architecture} of retrain {RetrainId}: macro accuracy {MacroAccuracy:0.000} on {TestImages} test images",
                architecture, record.Id, trained.Report.MacroAccuracy, trained.Report.TestImages);
            return trained.Report;
        }
        finally
        {
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
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

    private async Task<(bool Promoted, int Version, string Reason)> DecideAsync(RetrainRecord record, JobProgressReporter progress,
        CancellationToken ct)
    {
        var candidates = record.Candidates.Where(c => c.Value.State == CandidateState.Completed)
            .Select(c => (Architecture: c.Key, Folder: records.CandidateFolder(record.Id, c.Key)))
            .Select(c => (c.Architecture, c.Folder, Manifest: ModelArtifact.ReadManifest(c.Folder)))
            .ToList();
        var selection = CandidateSelector.Choose(candidates.Select(c => c.Manifest.Metrics).ToList(), SelectionRule.Default);
        var best = candidates.Single(c => c.Manifest.Metrics == selection.Best);

        // Registering is not repeated when a crash hit between registering and recording: the same candidate (same
        // architecture, dataset version and creation time) is found in the registry instead.
        var registered = registry.List().FirstOrDefault(m =>
                             m.Manifest.Architecture == best.Architecture &&
                             m.Manifest.Lineage.DatasetVersion == record.DatasetVersion &&
                             m.Manifest.Lineage.CreatedUtc == best.Manifest.Lineage.CreatedUtc)
                         ?? await registry.RegisterAsync(best.Folder, ct);
        var champion = registry.Current();
        if (champion?.Version == registered.Version)
            return (true, registered.Version, $"model v{registered.Version} was already promoted before a restart");

        double? championMacro = null;
        if (champion is not null)
        {
            var split = coordinator.SplitOf(record.DatasetVersion);
            // The champion normally serves already: score that instance rather than loading a second copy.
            using var lease = servingModel.Acquire();
            using var loaded = lease?.Version == champion.Version
                ? null
                : await ClassifierModel.LoadAsync(champion.Folder, pipeline.Backbones, pipeline.Sessions, ct);
            championMacro = await ChampionEvaluator.MacroAccuracyAsync(loaded ?? lease!.Model, split.Test, split.Labels, progress, ct);
        }

        progress.Report(new Progress.ProgressUpdate("promote", $"model v{registered.Version}", 0, 1));
        var verdict = new PromotionRule(options.Value.PromotionMargin).Judge(
            $"v{registered.Version} ({best.Architecture})", best.Manifest.Metrics.MacroAccuracy,
            champion is null ? null : $"v{champion.Version} ({champion.Manifest.Architecture})", championMacro);
        var decision = new PromotionDecision
        {
            At = DateTimeOffset.UtcNow,
            DatasetVersion = record.DatasetVersion,
            Challenger = registered.Version,
            ChampionBefore = champion?.Version,
            Promoted = verdict.Promote,
            ChallengerMacroAccuracy = best.Manifest.Metrics.MacroAccuracy,
            ChampionMacroAccuracy = championMacro,
            Reason = $"{verdict.Reason} Candidate choice: {selection.Explanation}",
        };
        if (verdict.Promote)
        {
            await serving.PromoteAsync(registered, decision, ct);
        }
        else
        {
            await registry.RecordAsync(decision, ct);
        }

        progress.Report(new Progress.ProgressUpdate("promote", $"model v{registered.Version}", 1, 1));
        logger.LogInformation("Retrain {RetrainId}: model v{Version} {Outcome}: {Reason}", record.Id, registered.Version,
            verdict.Promote ? "promoted" : "not promoted", verdict.Reason);
        return (verdict.Promote, registered.Version, verdict.Reason);
    }

    private string Exit(JobProgressReporter progress, string why)
    {
        logger.LogInformation("Job {JobId} exits early: {Why}", progress.Current.JobId, why);
        progress.Finish("exited", why);
        return $"exited: {why}";
    }
}
