using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Datasets.Store;
using Pipeline.Evaluation;
using Pipeline.Progress;
using Pipeline.Promotion;
using Pipeline.Registry;
using Pipeline.Retraining;
using Pipeline.Storage;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Retraining;

/// <summary>
/// A retrain's jobs in process, on real images, the raw-pixel baseline and a real registry: the coordinator queues the
/// candidates, each step records Running then its end, the join queues one evaluation, and a supersede stops a candidate
/// and an evaluation in flight. The queue here only records what was queued; the test runs each step as a worker would.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class RetrainStepsTests : IDisposable
{
    private readonly string _root = RepositoryPaths.NewTempFolder("retrain-steps");
    private readonly ProcessLock _recordsGate = new();
    private readonly ProcessLock _coordinatorGate = new();
    private readonly RecordingQueue _queue = new();
    private readonly DatasetStore _store;
    private readonly RetrainRecords _records;
    private readonly RetrainCancellations _cancellations = new();
    private readonly RetrainCoordinator _coordinator;
    private readonly RetrainSteps _steps;
    private readonly List<LabelledImage> _images;
    private readonly ModelRegistry _registry;

    public RetrainStepsTests()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var retrainer = new Retrainer(environment, new RetrainOptions { Seed = 3 });
        _store = new DatasetStore(Path.Combine(_root, "datasets"));
        _records = new RetrainRecords(Path.Combine(_root, "jobs"), _recordsGate);
        _coordinator = new RetrainCoordinator(_store, _records, _cancellations, _queue, retrainer, [BackboneCatalog.RawPixels],
            _coordinatorGate, NullLogger<RetrainCoordinator>.Instance);
        _registry = new ModelRegistry(Path.Combine(_root, "models"));
        var promoter = new ModelPromoter(_registry, environment, new PromotionRule(Resamples: 200));
        _steps = new RetrainSteps(_records, _coordinator, _cancellations, _queue, retrainer, promoter, NullLogger<RetrainSteps>.Instance);
        var folder = ServiceTestData.SampleFolder(ServiceTestData.ThreeLabels, 16);
        _images = LabelledFolderScanner.ScanAsync(folder, new ScanOptions()).GetAwaiter().GetResult().Images.ToList();
    }

    public void Dispose()
    {
        _recordsGate.Dispose();
        _coordinatorGate.Dispose();
    }

    /// <summary>Commits the next version: half the sample images first, the rest next time.</summary>
    private async Task<DatasetVersion> CommitAsync(int half)
    {
        var part = _images.Where((_, i) => i % 2 == half - 1).ToList();
        foreach (var image in part) await _store.StoreImageAsync(image);
        return await _store.CommitAsync(part.Select(DatasetEntry.From).ToList(), $"test:{half}");
    }

    [Fact]
    public async Task A_candidate_shows_Running_while_it_trains_and_its_end_queues_one_evaluation_which_records_the_choice()
    {
        await CommitAsync(1);
        var (record, created) = (await _coordinator.RequestLatestAsync("test", default))!.Value;
        Assert.True(created);
        var job = Assert.Single(_queue.Candidates);
        Assert.Equal(CandidateState.Pending, record.Candidates[BackboneCatalog.RawPixels].State);

        CandidateState? seenWhileTraining = null;
        var progress = new Inline(_ => seenWhileTraining ??= _records.Get(record.Id)!.Candidates[BackboneCatalog.RawPixels].State);
        var result = await _steps.TrainCandidateAsync(record.Id, job.Architecture, "job-1", progress, default);

        Assert.True(result.Worked, result.Message);
        Assert.Equal(CandidateState.Running, seenWhileTraining);
        var joined = _records.Get(record.Id)!;
        Assert.Equal(RetrainState.Evaluating, joined.State);
        Assert.Equal(CandidateState.Completed, joined.Candidates[BackboneCatalog.RawPixels].State);
        var evaluateJob = Assert.Single(_queue.Evaluations);
        Assert.Equal(evaluateJob.JobId, joined.EvaluateJobId);

        var details = new List<string>();
        var evaluated = await _steps.EvaluateAsync(record.Id, evaluateJob.JobId, new Inline(u => details.Add(u.Detail)), default);

        Assert.True(evaluated.Worked, evaluated.Message);
        var decided = _records.Get(record.Id)!;
        Assert.Equal(RetrainState.Completed, decided.State);
        Assert.Equal(BackboneCatalog.RawPixels, decided.Chosen);
        Assert.True(decided.Promoted);
        Assert.Null(decided.Combined); // one single backbone: nothing to combine
        Assert.Contains(details, d => d.StartsWith($"{EvaluationStages.Combined} (1/4)", StringComparison.Ordinal));
        Assert.Contains(details, d => d.StartsWith($"{EvaluationStages.Refit} (2/4)", StringComparison.Ordinal));
        Assert.Contains(details, d => d.StartsWith($"{EvaluationStages.Scoring} (3/4)", StringComparison.Ordinal));
        Assert.Contains(details, d => d.StartsWith($"{EvaluationStages.Comparison} (4/4)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retrain_whose_candidates_could_not_be_queued_queues_them_at_the_next_request_and_trains()
    {
        await CommitAsync(1);
        _queue.CandidateFault = new InvalidOperationException("job storage is unreachable");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _coordinator.RequestLatestAsync("test", default));
        Assert.Contains("unreachable", error.Message);
        var stranded = Assert.Single(_records.List());
        Assert.Equal(RetrainState.Training, stranded.State);
        Assert.Equal([BackboneCatalog.RawPixels], stranded.CandidatesNeverQueued());

        _queue.CandidateFault = null;
        var (requeued, created) = (await _coordinator.RequestLatestAsync("cron", default))!.Value;

        Assert.False(created);
        var job = Assert.Single(_queue.Candidates);
        Assert.Equal(job.JobId, requeued.Candidates[BackboneCatalog.RawPixels].JobId);
        Assert.Empty(requeued.CandidatesNeverQueued());
        var result = await _steps.TrainCandidateAsync(requeued.Id, job.Architecture, job.JobId, null, default);
        Assert.True(result.Worked, result.Message);
        Assert.Equal(RetrainState.Evaluating, _records.Get(requeued.Id)!.State);

        // Queued once: a later request queues nothing more.
        await _coordinator.RequestLatestAsync("cron", default);
        Assert.Single(_queue.Candidates);
    }

    [Fact]
    public async Task A_join_whose_evaluation_cannot_be_queued_fails_the_retrain_with_the_reason_and_the_next_request_evaluates_it()
    {
        await CommitAsync(1);
        var (record, _) = (await _coordinator.RequestLatestAsync("test", default))!.Value;
        _queue.EvaluationFault = new InvalidOperationException("job storage is unreachable");

        var result = await _steps.TrainCandidateAsync(record.Id, BackboneCatalog.RawPixels, "job-1", null, default);

        Assert.True(result.Worked, result.Message); // the candidate itself was trained and recorded
        var failed = _records.Get(record.Id)!;
        Assert.Equal(RetrainState.Failed, failed.State);
        Assert.Contains("job storage is unreachable", failed.Reason);
        Assert.Equal(CandidateState.Completed, failed.Candidates[BackboneCatalog.RawPixels].State);
        Assert.Empty(_queue.Evaluations);

        _queue.EvaluationFault = null;
        var (retried, created) = (await _coordinator.RequestLatestAsync("test", default))!.Value;
        Assert.True(created);
        var job = _queue.Candidates.Last();
        Assert.Equal(retried.Id, job.RetrainId);
        var again = await _steps.TrainCandidateAsync(retried.Id, job.Architecture, job.JobId, null, default);

        Assert.True(again.Worked, again.Message);
        var joined = _records.Get(record.Id)!;
        Assert.Equal(RetrainState.Evaluating, joined.State);
        Assert.Equal(Assert.Single(_queue.Evaluations).JobId, joined.EvaluateJobId);
    }

    [Fact]
    public async Task A_newer_version_stops_the_older_retrains_candidate_in_flight_and_nothing_is_queued_after_it()
    {
        await CommitAsync(1);
        var (older, _) = (await _coordinator.RequestLatestAsync("test", default))!.Value;
        await CommitAsync(2);

        var result = await RunSupersededMidwayAsync(progress =>
            _steps.TrainCandidateAsync(older.Id, BackboneCatalog.RawPixels, "job-1", progress, default));

        Assert.False(result.Worked);
        Assert.Contains("superseded", result.Message);
        var stored = _records.Get(older.Id)!;
        Assert.Equal(RetrainState.Superseded, stored.State);
        Assert.Empty(_queue.Evaluations);
        Assert.False(File.Exists(Path.Combine(_records.CandidateFolder(older.Id, BackboneCatalog.RawPixels), ModelArtifact.ManifestFileName)));
    }

    [Fact]
    public async Task A_newer_version_stops_the_older_retrains_evaluation_in_flight_and_it_registers_nothing()
    {
        await CommitAsync(1);
        var (older, _) = (await _coordinator.RequestLatestAsync("test", default))!.Value;
        await _steps.TrainCandidateAsync(older.Id, BackboneCatalog.RawPixels, "job-1", null, default);
        Assert.Equal(RetrainState.Evaluating, _records.Get(older.Id)!.State);
        await CommitAsync(2);

        var result = await RunSupersededMidwayAsync(progress => _steps.EvaluateAsync(older.Id, "evaluate-1", progress, default));

        Assert.False(result.Worked);
        var stored = _records.Get(older.Id)!;
        Assert.Equal(RetrainState.Superseded, stored.State);
        Assert.Null(stored.Chosen);
        Assert.Empty(_registry.List());
    }

    /// <summary>Runs <paramref name="step"/>, holding it at its first progress report until the newer version's
    /// retrain has been requested (which supersedes the older one), then lets it go on.</summary>
    private async Task<RetrainStepResult> RunSupersededMidwayAsync(Func<IProgress<ProgressUpdate>, Task<RetrainStepResult>> step)
    {
        using var reached = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var first = 0;
        var progress = new Inline(_ =>
        {
            if (Interlocked.Exchange(ref first, 1) != 0) return;
            reached.Release();
            release.Wait(TimeSpan.FromMinutes(2));
        });
        var running = Task.Run(() => step(progress));
        Assert.True(await reached.WaitAsync(TimeSpan.FromMinutes(2)), "the step never reported progress");
        var (newer, created) = (await _coordinator.RequestLatestAsync("test", default))!.Value;
        Assert.True(created);
        Assert.Equal(2, newer.DatasetVersion);
        release.Release();
        return await running;
    }

    /// <summary>Progress applied on the reporting thread, so the test sees it in order.</summary>
    private sealed class Inline(Action<ProgressUpdate> report) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => report(value);
    }

    private sealed class RecordingQueue : IRetrainJobQueue
    {
        private int _next;
        public List<(string RetrainId, string Architecture, string JobId)> Candidates { get; } = [];
        public List<(string RetrainId, string JobId)> Evaluations { get; } = [];

        /// <summary>Thrown by every candidate enqueue while set.</summary>
        public Exception? CandidateFault { get; set; }

        public string EnqueueCandidate(string retrainId, string architecture)
        {
            if (CandidateFault is { } fault) throw fault;
            var id = $"job-{Interlocked.Increment(ref _next)}";
            lock (Candidates) Candidates.Add((retrainId, architecture, id));
            return id;
        }

        /// <summary>Thrown by the next evaluation enqueue, as Hangfire's client throws when its storage fails.</summary>
        public Exception? EvaluationFault { get; set; }

        public string EnqueueEvaluation(string retrainId)
        {
            if (EvaluationFault is { } fault) throw fault;
            var id = $"job-{Interlocked.Increment(ref _next)}";
            lock (Evaluations) Evaluations.Add((retrainId, id));
            return id;
        }
    }
}
