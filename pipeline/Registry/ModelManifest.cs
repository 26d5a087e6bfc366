using Pipeline.Backbones;
using Pipeline.Evaluation;

namespace Pipeline.Registry;

/// <summary>
/// <c>model.json</c>: what a model folder holds and how to trust it. The backbone is pinned by SHA-256; the head is
/// <c>head.zip</c> (an ML.NET model from feature vectors to one score per label, in <see cref="Labels"/> order).
/// </summary>
public sealed record ModelManifest
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string Architecture { get; init; }
    public required BackboneDescriptor Backbone { get; init; }

    /// <summary>
    /// Further backbones of a combined model, whose features follow <see cref="Backbone"/>'s in this order; empty for a
    /// single-backbone model (and in every manifest written before combined models existed).
    /// </summary>
    public IReadOnlyList<BackboneDescriptor> ExtraBackbones { get; init; } = [];

    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>
    /// The views whose probabilities the model averages for every image (test-time averaging), the original first;
    /// empty when it scores the original only (and in every manifest written before views). Predict, evaluate, the
    /// promotion comparison and the ONNX export all apply it (<see cref="Features.ImageViewGeometry"/>).
    /// </summary>
    public IReadOnlyList<Features.ImageView> TestTimeViews { get; init; } = [];
    public required CandidateReport Metrics { get; init; }
    public required ModelLineage Lineage { get; init; }

    /// <summary>Every backbone the head reads, in feature order.</summary>
    public IReadOnlyList<BackboneDescriptor> AllBackbones() => [Backbone, .. ExtraBackbones];

    /// <summary>Length of the head's input: the backbones' feature lengths added up.</summary>
    public int HeadInputLength() => AllBackbones().Sum(b => b.FeatureLength);
}
