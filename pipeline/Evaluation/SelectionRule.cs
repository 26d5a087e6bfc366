namespace Pipeline.Evaluation;

/// <summary>
/// Picks the best candidate by comparing criteria in order: the first criterion on which two candidates differ by more
/// than its tolerance decides. Default: macro accuracy, then log-loss, then latency, then size. Accuracies on a test
/// split of a few hundred images move in steps of a fraction of a percent, so differences below
/// <see cref="AccuracyTolerance"/> count as ties and fall through to the next criterion.
/// </summary>
public sealed record SelectionRule
{
    public IReadOnlyList<SelectionCriterion> Criteria { get; init; } =
        [SelectionCriterion.MacroAccuracy, SelectionCriterion.LogLoss, SelectionCriterion.Latency, SelectionCriterion.Size];

    public double AccuracyTolerance { get; init; } = 0.0;
    public double LogLossTolerance { get; init; } = 0.0;

    public static SelectionRule Default { get; } = new();

    /// <summary>Parses "macroAccuracy,logLoss,latency,size" (case-insensitive).</summary>
    public static SelectionRule Parse(string text) => new()
    {
        Criteria = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => Enum.TryParse<SelectionCriterion>(part, ignoreCase: true, out var c)
                ? c
                : throw new PipelineException(
                    $"Unknown selection criterion '{part}'. Known: {string.Join(", ", Enum.GetNames<SelectionCriterion>())}."))
            .ToList(),
    };

    public override string ToString() => string.Join(" > ", Criteria);
}
