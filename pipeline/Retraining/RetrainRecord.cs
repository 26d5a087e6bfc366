namespace Pipeline.Service.Jobs;

/// <summary>
/// The durable state of the retrain of one dataset version (<c>jobs/&lt;id&gt;/retrain.json</c>). It, not Hangfire's
/// storage, is the source of truth: start-up reconciliation re-creates lost jobs from it, so in-memory Hangfire storage
/// loses nothing when the process dies.
/// </summary>
public sealed record RetrainRecord
{
    public required string Id { get; init; }
    public required int DatasetVersion { get; init; }
    public required RetrainState State { get; init; }

    /// <summary>What asked for it first: commit, rescan, startup, cron or http.</summary>
    public required string Trigger { get; init; }

    public required IReadOnlyList<string> Architectures { get; init; }
    public required IReadOnlyDictionary<string, CandidateOutcome> Candidates { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    public required DateTimeOffset UpdatedUtc { get; init; }
    public string? EvaluateJobId { get; init; }

    /// <summary>The registry version the winning candidate got, once registered.</summary>
    public int? RegisteredVersion { get; init; }

    public bool? Promoted { get; init; }

    /// <summary>Why it ended as it did: the promotion decision's reason, the failure, or what it waits for.</summary>
    public string? Reason { get; init; }

    public bool IsActive => State is RetrainState.Training or RetrainState.Evaluating;
    public bool AllCandidatesDone => Candidates.Values.All(c => c.IsDone);

    /// <summary>The retrain id of a dataset version: one retrain per version, which is what makes triggers idempotent.</summary>
    public static string IdFor(int datasetVersion) => $"dataset-{datasetVersion:D6}";
}
