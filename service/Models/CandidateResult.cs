using Pipeline.Retraining;
using Pipeline.Evaluation;
using Pipeline.Service.Jobs;

namespace Pipeline.Service.Models;

/// <summary>
/// One architecture's candidate in a retrain: its outcome and, once trained, what it scored and cost. Bars show
/// <see cref="Score"/>; the cross-validated fields are null for a candidate that never finished.
/// </summary>
/// <param name="Chosen">This candidate became the retrain's registered model.</param>
/// <param name="JobId">Its Hangfire job (<c>/hangfire/jobs/details/{id}</c>).</param>
/// <param name="MacroAccuracy">On the retrain's fixed test split.</param>
/// <param name="CrossValidatedMean">Mean macro accuracy over the cross-validation folds, when measured.</param>
/// <param name="CrossValidatedSd">Standard deviation of the folds' macro accuracy, when measured.</param>
public sealed record CandidateResult(
    string Architecture,
    CandidateState State,
    bool Chosen,
    string? JobId,
    double? MacroAccuracy,
    double? CrossValidatedMean,
    double? CrossValidatedSd,
    int? Folds,
    double? TrainSeconds,
    long? ModelBytes,
    double? PredictLatencyMs,
    string? Error)
{
    /// <summary>What a chart of candidates compares: the cross-validated mean where measured, else the test-split figure.</summary>
    public double? Score => CrossValidatedMean ?? MacroAccuracy;

    /// <param name="report">The candidate's own report (its folder's <c>model.json</c>); null when it never finished.</param>
    public static CandidateResult From(string architecture, CandidateOutcome outcome, CandidateReport? report, bool chosen) => new(
        architecture, outcome.State, chosen, outcome.JobId,
        report?.MacroAccuracy ?? outcome.MacroAccuracy,
        report?.CrossValidation?.MeanMacroAccuracy, report?.CrossValidation?.SdMacroAccuracy, report?.CrossValidation?.Folds,
        report?.TrainSeconds, report?.ModelBytes, report?.PredictLatencyMs, outcome.Error);
}
