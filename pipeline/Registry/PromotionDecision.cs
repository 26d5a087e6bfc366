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

    /// <summary>The rule that decided an automatic decision (null for manual ones and old records).</summary>
    public Promotion.PromotionBasis? Rule { get; init; }

    /// <summary>Labels the challenger knows and the champion did not (the new-labels rule); empty otherwise.</summary>
    public IReadOnlyList<string> NewLabels { get; init; } = [];

    /// <summary>Labels the champion knew and the challenger does not (the dropped-labels rule); empty otherwise.</summary>
    public IReadOnlyList<string> DroppedLabels { get; init; } = [];

    /// <summary>The challenger's recall over the new labels' test images (the new-labels rule), against 1/labels chance.</summary>
    public double? NewLabelRecall { get; init; }

    /// <summary>Which head the figures of this decision come from: always the gate heads (never trained on the test images).</summary>
    public string? ScoredWith { get; init; }
    public required string Reason { get; init; }

    /// <summary>automatic, manual or rollback.</summary>
    public string Kind { get; init; } = "automatic";
}
