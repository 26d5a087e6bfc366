using Pipeline.Retraining;
using Pipeline.Storage;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Retraining;

/// <summary>The retrain's state machine: the join of its candidates and the supersede rule, as pure transitions and
/// through <see cref="RetrainRecords"/> under concurrent updates.</summary>
[Trait("Kind", "Unit")]
public sealed class RetrainRecordTests
{
    private static readonly string[] Architectures = ["A", "B", "C"];

    private static RetrainRecord Training(int version = 1) =>
        RetrainRecord.Start(version, "test", Architectures, unusableReason: null, DateTimeOffset.UtcNow);

    private static CandidateOutcome Completed(double accuracy) => new() { State = CandidateState.Completed, MacroAccuracy = accuracy };
    private static CandidateOutcome Failed(string error) => new() { State = CandidateState.Failed, Error = error };

    [Fact]
    public void A_started_candidate_is_Running_with_its_job_and_a_finished_one_is_not_started_again()
    {
        var started = Training().CandidateStarted("A", "job-1");

        Assert.Equal(CandidateState.Running, started.Candidates["A"].State);
        Assert.Equal("job-1", started.Candidates["A"].JobId);
        Assert.Equal(CandidateState.Pending, started.Candidates["B"].State);
        Assert.False(started.AllCandidatesDone);

        var finished = started.CandidateEnded("A", Completed(0.8));
        Assert.Same(finished, finished.CandidateStarted("A", "job-2"));
    }

    [Fact]
    public void The_retrain_evaluates_only_once_the_last_candidate_ends_and_a_failed_candidate_counts_as_done()
    {
        var record = Training().CandidateEnded("A", Completed(0.8)).CandidateEnded("B", Failed("out of memory"));
        Assert.Equal(RetrainState.Training, record.State);

        var joined = record.CandidateEnded("C", Completed(0.7));

        Assert.Equal(RetrainState.Evaluating, joined.State);
        Assert.Equal("out of memory", joined.Candidates["B"].Error);
    }

    [Fact]
    public void When_every_candidate_fails_the_retrain_fails_and_the_reason_names_each_error()
    {
        var record = Training().CandidateEnded("A", Failed("bad A")).CandidateEnded("B", Failed("bad B")).CandidateEnded("C", Failed("bad C"));

        Assert.Equal(RetrainState.Failed, record.State);
        Assert.Contains("A: bad A", record.Reason);
        Assert.Contains("C: bad C", record.Reason);
    }

    [Fact]
    public void A_newer_version_supersedes_an_active_retrain_and_its_late_candidates_change_nothing()
    {
        var superseded = Training(1).CandidateStarted("A", "job").SupersededBy(2);

        Assert.Equal(RetrainState.Superseded, superseded.State);
        Assert.Contains("dataset version 2", superseded.Reason);
        Assert.Same(superseded, superseded.CandidateEnded("A", Completed(0.9)));
        Assert.Same(superseded, superseded.EvaluationQueued("evaluate"));
        Assert.Same(superseded, superseded.Decided("A", 3, true, "better"));
    }

    [Fact]
    public void Only_an_active_retrain_of_an_older_version_is_superseded()
    {
        var completed = Training(1).CandidateEnded("A", Completed(0.8)).CandidateEnded("B", Completed(0.8))
            .CandidateEnded("C", Completed(0.8)).Decided("A", 1, true, "first model");

        Assert.Equal(RetrainState.Completed, completed.State);
        Assert.Same(completed, completed.SupersededBy(2));
        var active = Training(3);
        Assert.Same(active, active.SupersededBy(2));
        Assert.Same(active, active.SupersededBy(3));
    }

    [Fact]
    public void The_decision_records_the_chosen_candidate_and_the_combined_one_keeps_its_own_state()
    {
        var evaluating = Training().CandidateEnded("A", Completed(0.8)).CandidateEnded("B", Completed(0.9))
            .CandidateEnded("C", Completed(0.7)).EvaluationQueued("evaluate-job");
        var combining = evaluating.WithCombined(new CombinedCandidate("A+B", new CandidateOutcome { State = CandidateState.Running, JobId = "evaluate-job" }));

        var decided = combining.Decided("A+B", 4, promoted: false, "not better");

        Assert.Equal(RetrainState.Completed, decided.State);
        Assert.Equal("A+B", decided.Chosen);
        Assert.Equal(4, decided.RegisteredVersion);
        Assert.Equal(CandidateState.Running, decided.Combined!.Outcome.State);
        var failed = combining.EvaluationFailed("disk full");
        Assert.Equal(RetrainState.Failed, failed.State);
        Assert.Equal(CandidateState.Failed, failed.Combined!.Outcome.State);
        Assert.Equal("disk full", failed.Combined.Outcome.Error);
    }

    [Fact]
    public async Task Candidates_ending_at_once_are_all_recorded_and_exactly_one_update_sees_the_join()
    {
        var architectures = Enumerable.Range(0, 12).Select(i => $"arch{i}").ToList();
        using var gate = new ProcessLock();
        var records = new RetrainRecords(RepositoryPaths.NewTempFolder("retrain-records"), gate);
        var (record, created) = await records.CreateAsync(RetrainRecord.Start(1, "test", architectures, null, DateTimeOffset.UtcNow), default);
        Assert.True(created);

        var transitions = await Task.WhenAll(architectures.Select(a => Task.Run(async () =>
        {
            var (before, after) = await records.UpdateAsync(record.Id, r => r.CandidateEnded(a, Completed(0.5)), default);
            return before.State == RetrainState.Training && after.State == RetrainState.Evaluating;
        })));

        Assert.Equal(1, transitions.Count(joined => joined));
        var stored = records.Get(record.Id)!;
        Assert.Equal(RetrainState.Evaluating, stored.State);
        Assert.All(stored.Candidates.Values, c => Assert.Equal(CandidateState.Completed, c.State));
    }
}
