using Pipeline.Evaluation;
using Pipeline.Registry;

namespace Pipeline.Service.Models;

/// <summary>
/// The body of <c>GET /api/models/{version}</c>: one model's figures on its test split, per label and as a confusion
/// matrix, the candidates of the retrain that produced it, and where it came from.
/// </summary>
/// <param name="CrossValidation">How its head's L2 was chosen: the folds (grouped by design or stratified), the grid, the
/// views, and whether labels were weighted equally; null for a model registered before cross-validation.</param>
/// <param name="Retrain">Null for a model no retrain of this service produced (registered by hand, or its record is gone).</param>
public sealed record ModelDetails(
    ModelSummary Model,
    int TopK,
    double TopKAccuracy,
    double TrainSeconds,
    long ModelBytes,
    IReadOnlyList<ClassMetrics> PerClass,
    ConfusionMatrix ConfusionMatrix,
    CrossValidationReport? CrossValidation,
    RetrainCandidates? Retrain,
    ModelLineage Lineage)
{
    public static ModelDetails From(RegisteredModel model, int? servingVersion, RetrainCandidates? retrain)
    {
        var metrics = model.Manifest.Metrics;
        return new ModelDetails(ModelSummary.From(model, servingVersion), metrics.TopK, metrics.TopKAccuracy,
            metrics.TrainSeconds, metrics.ModelBytes, metrics.PerClass, metrics.ConfusionMatrix, metrics.CrossValidation, retrain, model.Manifest.Lineage);
    }
}
