namespace Pipeline.Promotion;

/// <summary>How an automatic decision ended: the registered challenger version, whether it serves now, and why.</summary>
public sealed record PromotionOutcome(bool Promoted, int Version, string Reason);
