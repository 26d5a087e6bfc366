namespace Pipeline.Evaluation;

/// <summary>The chosen candidate and a sentence a person can read explaining why.</summary>
public sealed record CandidateSelection(CandidateReport Best, string Explanation);
