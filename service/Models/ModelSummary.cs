using Pipeline.Registry;

namespace Pipeline.Service.Models;

/// <summary>A model version as listed by the API and the dashboard.</summary>
/// <param name="CvMacroAccuracy">Mean macro accuracy of the cross-validation that chose it (null for older models).</param>
/// <param name="CvMacroAccuracySd">Standard deviation of that macro accuracy over the folds.</param>
/// <param name="CvL2">The head's L2, chosen inside the folds.</param>
/// <param name="MacroAccuracy">On the test part, by the gate head (see <paramref name="Heads"/>), as every test figure here.</param>
/// <param name="Heads">Which head the figures measure (the gate head) and which one serves (refitted on every image).</param>
public sealed record ModelSummary(
    int Version,
    bool Serving,
    string Architecture,
    int? DatasetVersion,
    IReadOnlyList<string> Labels,
    double MacroAccuracy,
    double MicroAccuracy,
    double LogLoss,
    int TestImages,
    double PredictLatencyMs,
    double? CvMacroAccuracy,
    double? CvMacroAccuracySd,
    int? CvFolds,
    float? CvL2,
    DateTimeOffset Created,
    ModelHeads Heads)
{
    public static ModelSummary From(RegisteredModel m, int? servingVersion)
    {
        var metrics = m.Manifest.Metrics;
        var cv = metrics.CrossValidation;
        return new(m.Version, m.Version == servingVersion, m.Manifest.Architecture, m.Manifest.Lineage.DatasetVersion,
            m.Manifest.Labels, metrics.MacroAccuracy, metrics.MicroAccuracy, metrics.LogLoss, metrics.TestImages,
            metrics.PredictLatencyMs, cv?.MeanMacroAccuracy, cv?.SdMacroAccuracy, cv?.Folds, cv?.L2, m.Manifest.Lineage.CreatedUtc,
            ModelHeads.From(metrics));
    }
}
