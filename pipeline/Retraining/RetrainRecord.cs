namespace Pipeline.Retraining;

/// <summary>
/// The durable state of the retrain of one dataset version (<c>jobs/&lt;id&gt;/retrain.json</c>), and the rules that move
/// it from state to state. It, not a job queue's storage, is the source of truth: start-up reconciliation re-creates
/// lost jobs from it, so in-memory job storage loses nothing when the process dies.
/// </summary>
/// <remarks>
/// Every transition is a pure function of the record (no I/O), applied by <see cref="RetrainRecords.UpdateAsync"/>
/// under its cross-process lock, so exactly one caller sees a given transition (e.g. the join, Training to
/// Evaluating). A transition that does not apply returns the record itself, which writes nothing.
/// </remarks>
public sealed record RetrainRecord
{
    public required string Id { get; init; }
    public required int DatasetVersion { get; init; }
    public required RetrainState State { get; init; }

    /// <summary>What asked for it first: commit, rescan, startup, cron or http.</summary>
    public required string Trigger { get; init; }

    public required IReadOnlyList<string> Architectures { get; init; }

    /// <summary>The single-backbone candidates, one per architecture, each trained by its own job.</summary>
    public required IReadOnlyDictionary<string, CandidateOutcome> Candidates { get; init; }

    /// <summary>The combined candidate, once the evaluate step has decided there is one (null: none, or not yet).</summary>
    public CombinedCandidate? Combined { get; init; }

    public required DateTimeOffset CreatedUtc { get; init; }
    public required DateTimeOffset UpdatedUtc { get; init; }
    public string? EvaluateJobId { get; init; }

    /// <summary>The candidate the selection rule chose, once evaluated: the one registered.</summary>
    public string? Chosen { get; init; }

    /// <summary>The registry version the chosen candidate got, once registered.</summary>
    public int? RegisteredVersion { get; init; }

    public bool? Promoted { get; init; }

    /// <summary>Why it ended as it did: the promotion decision's reason, the failure, or what it waits for.</summary>
    public string? Reason { get; init; }

    public bool IsActive => State is RetrainState.Training or RetrainState.Evaluating;

    /// <summary>Candidates of a Training retrain that never got a job: their enqueue failed when the retrain was created.</summary>
    public IReadOnlyList<string> CandidatesNeverQueued() => State == RetrainState.Training
        ? Candidates.Where(c => c.Value is { State: CandidateState.Pending, JobId: null }).Select(c => c.Key).ToList()
        : [];
    public bool AllCandidatesDone => Candidates.Values.All(c => c.IsDone);

    /// <summary>The retrain id of a dataset version: one retrain per version, which is what makes triggers idempotent.</summary>
    public static string IdFor(int datasetVersion) => $"dataset-{datasetVersion:D6}";

    /// <summary>A new retrain of <paramref name="datasetVersion"/>: Training, or WaitingForLabels with the reason when
    /// <paramref name="unusableReason"/> says the version cannot be trained yet.</summary>
    public static RetrainRecord Start(int datasetVersion, string trigger, IReadOnlyList<string> architectures,
        string? unusableReason, DateTimeOffset now) => new()
    {
        Id = IdFor(datasetVersion),
        DatasetVersion = datasetVersion,
        Trigger = trigger,
        State = unusableReason is null ? RetrainState.Training : RetrainState.WaitingForLabels,
        Architectures = architectures,
        Candidates = architectures.ToDictionary(a => a, _ => CandidateOutcome.Pending),
        CreatedUtc = now,
        UpdatedUtc = now,
        Reason = unusableReason is null ? null : $"waiting for a second label: {unusableReason}",
    };

    /// <summary>A candidate's job has started it: Pending (or Running, redelivered) becomes Running.</summary>
    public RetrainRecord CandidateStarted(string architecture, string jobId) =>
        State == RetrainState.Training && Candidates.TryGetValue(architecture, out var outcome) && !outcome.IsDone
            ? With(architecture, outcome with { State = CandidateState.Running, JobId = jobId })
            : this;

    /// <summary>
    /// The join: records a candidate's end (<paramref name="outcome"/> is Completed or Failed). The change that makes
    /// every candidate done moves the retrain to Evaluating when at least one completed, else to Failed with every
    /// candidate's error. Ignored unless Training (a superseded retrain's late candidates change nothing).
    /// </summary>
    public RetrainRecord CandidateEnded(string architecture, CandidateOutcome outcome)
    {
        if (!outcome.IsDone) throw new ArgumentException("A candidate ends Completed or Failed.", nameof(outcome));
        if (State != RetrainState.Training || !Candidates.ContainsKey(architecture)) return this;
        var next = With(architecture, outcome);
        if (!next.AllCandidatesDone) return next;
        return next.Candidates.Values.Any(c => c.State == CandidateState.Completed)
            ? next with { State = RetrainState.Evaluating }
            : next with
            {
                State = RetrainState.Failed,
                Reason = "every candidate failed: " + string.Join("; ", next.Candidates.Select(c => $"{c.Key}: {c.Value.Error}")),
            };
    }

    /// <summary>An active retrain of an older version stops: <paramref name="newerVersion"/> arrived.</summary>
    public RetrainRecord SupersededBy(int newerVersion) =>
        IsActive && newerVersion > DatasetVersion
            ? this with { State = RetrainState.Superseded, Reason = $"superseded by dataset version {newerVersion}" }
            : this;

    /// <summary>The evaluate job is queued: from Training with every candidate done (a resume), or Evaluating.</summary>
    public RetrainRecord EvaluationQueued(string jobId) =>
        State == RetrainState.Evaluating || (State == RetrainState.Training && AllCandidatesDone)
            ? this with { State = RetrainState.Evaluating, EvaluateJobId = jobId }
            : this;

    /// <summary>Candidate jobs are queued: each candidate not yet done gets its job id.</summary>
    public RetrainRecord CandidatesQueued(IReadOnlyDictionary<string, string> jobIds) =>
        State != RetrainState.Training
            ? this
            : this with
            {
                Candidates = Candidates.ToDictionary(c => c.Key,
                    c => jobIds.TryGetValue(c.Key, out var job) && !c.Value.IsDone ? c.Value with { JobId = job } : c.Value),
            };

    /// <summary>The evaluate step decided the combined candidate (or moved it on: Running, then Completed or Failed).</summary>
    public RetrainRecord WithCombined(CombinedCandidate combined) =>
        State == RetrainState.Evaluating ? this with { Combined = combined } : this;

    /// <summary>The decision was made: <paramref name="chosen"/> registered as <paramref name="registeredVersion"/>.</summary>
    public RetrainRecord Decided(string chosen, int registeredVersion, bool promoted, string reason) =>
        State == RetrainState.Evaluating
            ? this with
            {
                State = RetrainState.Completed, Chosen = chosen, RegisteredVersion = registeredVersion, Promoted = promoted,
                Reason = reason,
            }
            : this;

    /// <summary>The evaluate step failed; a later trigger tries again.</summary>
    public RetrainRecord EvaluationFailed(string error) =>
        State == RetrainState.Evaluating
            ? this with
            {
                State = RetrainState.Failed, Reason = $"evaluation failed: {error}",
                Combined = Combined is { Outcome.IsDone: false } combined
                    ? combined with { Outcome = combined.Outcome with { State = CandidateState.Failed, Error = error } }
                    : Combined,
            }
            : this;

    private RetrainRecord With(string architecture, CandidateOutcome outcome) =>
        this with { Candidates = new Dictionary<string, CandidateOutcome>(Candidates) { [architecture] = outcome } };
}
