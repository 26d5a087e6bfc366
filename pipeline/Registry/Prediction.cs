namespace Pipeline.Registry;

/// <summary>A label and its probability.</summary>
public sealed record LabelScore(string Label, float Score);

/// <summary>The answer for one image: the best label, its probability, and the top k.</summary>
public sealed record Prediction(string Label, float Score, IReadOnlyList<LabelScore> Top);
