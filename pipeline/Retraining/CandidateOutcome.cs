namespace Pipeline.Retraining;

/// <summary>Where one candidate of a retrain stands, and what it achieved once done.</summary>
public sealed record CandidateOutcome
{
    public static CandidateOutcome Pending { get; } = new() { State = CandidateState.Pending };

    public required CandidateState State { get; init; }

    /// <summary>The job that trains it: its own job for a single backbone, the evaluate job for the combined one.</summary>
    public string? JobId { get; init; }

    public double? MacroAccuracy { get; init; }
    public string? Error { get; init; }

    public bool IsDone => State is CandidateState.Completed or CandidateState.Failed;
}

public enum CandidateState
{
    /// <summary>Queued: no job has started it yet.</summary>
    Pending,

    /// <summary>A job is training it now (or was, when its process died: the job is then re-created at start-up).</summary>
    Running,

    Completed,
    Failed,
}
