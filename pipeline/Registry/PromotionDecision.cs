using Pipeline.Promotion;

namespace Pipeline.Registry;

/// <summary>
/// One champion/challenger decision, kept forever in <c>decisions.jsonl</c>: what was compared, on which images,
/// and why the serving model did or did not change.
/// </summary>
public sealed record PromotionDecision
{
    public required DateTimeOffset At { get; init; }
    public int? DatasetVersion { get; init; }
    public int? Challenger { get; init; }
    public int? ChampionBefore { get; init; }
    public required bool Promoted { get; init; }
    public double? ChallengerMacroAccuracy { get; init; }
    public double? ChampionMacroAccuracy { get; init; }

    /// <summary>The paired comparison behind an automatic decision against a champion (the numbers of the reason).</summary>
    public Promotion.PairedComparison? Comparison { get; init; }
    public required string Reason { get; init; }

    /// <summary>automatic, manual or rollback.</summary>
    public string Kind { get; init; } = "automatic";
}
