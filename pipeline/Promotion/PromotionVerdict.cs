namespace Pipeline.Promotion;

/// <summary>Whether to promote, by which rule, and a sentence saying why (the rule's name and its numbers).</summary>
/// <param name="Comparison">
/// The paired comparison the rule used: over every label for <see cref="PromotionBasis.ClearlyBetter"/>, over the shared
/// labels for <see cref="PromotionBasis.NewLabels"/> and <see cref="PromotionBasis.DroppedLabels"/>; null for the first model.
/// </param>
/// <param name="NewLabelRecall">
/// For <see cref="PromotionBasis.NewLabels"/>: the challenger's recall over the test images of the new labels together
/// (null when they have none).
/// </param>
/// <param name="Chance">For <see cref="PromotionBasis.NewLabels"/>: the recall of a uniform guess, 1 / the challenger's labels.</param>
public sealed record PromotionVerdict(bool Promote, string Reason, PromotionBasis Basis = PromotionBasis.ClearlyBetter,
    PairedComparison? Comparison = null, double? NewLabelRecall = null, double? Chance = null)
{
    public IReadOnlyList<string> NewLabels { get; init; } = [];
    public IReadOnlyList<string> DroppedLabels { get; init; } = [];
}
