using Pipeline.Registry;

namespace Pipeline.Service.Predict;

/// <summary>The body of a successful <c>POST /api/predict</c>.</summary>
public sealed record PredictResponse(string Label, float Score, IReadOnlyList<LabelScore> Top, int ModelVersion);
