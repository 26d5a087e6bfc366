namespace Pipeline.Service.Jobs;

/// <summary>What one architecture's candidate job achieved.</summary>
public sealed record CandidateOutcome
{
    public static CandidateOutcome Pending { get; } = new() { State = CandidateState.Pending };

    public required CandidateState State { get; init; }
    public string? JobId { get; init; }
    public double? MacroAccuracy { get; init; }
    public string? Error { get; init; }

    public bool IsDone => State is CandidateState.Completed or CandidateState.Failed;
}

public enum CandidateState
{
    Pending,
    Completed,
    Failed,
}
