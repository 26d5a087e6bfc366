namespace Pipeline.Promotion;

/// <summary>Which rule of <see cref="PromotionRule"/> decided a promotion: named in every decision's reason.</summary>
public enum PromotionBasis
{
    /// <summary>No champion: the first model is always promoted.</summary>
    FirstModel,

    /// <summary>Same labels as the champion: promoted only when clearly better (bootstrap lower bound above the margin).</summary>
    ClearlyBetter,

    /// <summary>
    /// The challenger knows labels the champion lacks: promoted when it is not worse on the shared labels beyond noise
    /// and recognises the new labels above chance.
    /// </summary>
    NewLabels,

    /// <summary>The challenger lacks labels the champion knows: never promoted automatically (predict would lose them).</summary>
    DroppedLabels,
}
