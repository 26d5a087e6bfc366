namespace Pipeline.Retraining;

/// <summary>
/// The combined candidate of a retrain (the two best single backbones by cross-validation, concatenated), which the
/// evaluate step decides and trains once every single candidate is done. Recorded with its name so nobody has to find
/// it by the shape of a folder name.
/// </summary>
public sealed record CombinedCandidate(string Name, CandidateOutcome Outcome);
