using Pipeline.Evaluation;

namespace Pipeline.Training;

/// <summary>A trained, evaluated and saved candidate.</summary>
public sealed record TrainedCandidate(CandidateReport Report, string ModelFolder);
