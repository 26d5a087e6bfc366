using Pipeline.Datasets;
using Pipeline.Registry;

namespace Pipeline.Evaluation;

/// <summary>How a model did on a labelled folder it never saw (the CLI's <c>evaluate</c>).</summary>
/// <param name="Metrics">Every metric, over the folder's distinct readable images.</param>
/// <param name="Rejected">Files the scan could not use (unreadable, not an image, wrong depth), with reasons.</param>
/// <param name="Images">Each image as the model scored it, by SHA-256 (for paired comparisons of two models).</param>
public sealed record FolderEvaluation(string Model, string Architecture, ClassificationMetrics Metrics,
    IReadOnlyList<RejectedFile> Rejected, IReadOnlyList<ScoredImage> Images);
