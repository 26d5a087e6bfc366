namespace Pipeline.Evaluation;

/// <summary>Counts[actual][predicted], both indexed like <see cref="Labels"/>.</summary>
public sealed record ConfusionMatrix(IReadOnlyList<string> Labels, IReadOnlyList<IReadOnlyList<int>> Counts);
