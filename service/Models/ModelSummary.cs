using Pipeline.Registry;

namespace Pipeline.Service.Models;

/// <summary>A model version as listed by the API and the dashboard.</summary>
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
    DateTimeOffset Created)
{
    public static ModelSummary From(RegisteredModel m, int? servingVersion) => new(
        m.Version, m.Version == servingVersion, m.Manifest.Architecture, m.Manifest.Lineage.DatasetVersion,
        m.Manifest.Labels, m.Manifest.Metrics.MacroAccuracy, m.Manifest.Metrics.MicroAccuracy, m.Manifest.Metrics.LogLoss,
        m.Manifest.Metrics.TestImages, m.Manifest.Metrics.PredictLatencyMs, m.Manifest.Lineage.CreatedUtc);
}
