using Pipeline.Retraining;
using Pipeline.Service.Jobs;

namespace Pipeline.Service.Models;

/// <summary>One retrain's candidates side by side, as <see cref="ModelDetails"/> shows them.</summary>
/// <param name="RetrainId"><c>dataset-NNNNNN</c>, also the id of <c>GET /api/jobs/{id}</c>.</param>
/// <param name="EvaluateJobId">The Hangfire job that chose among the candidates and decided the promotion.</param>
public sealed record RetrainCandidates(
    string RetrainId,
    int DatasetVersion,
    RetrainState State,
    bool? Promoted,
    string? Reason,
    string? EvaluateJobId,
    IReadOnlyList<CandidateResult> Candidates);
