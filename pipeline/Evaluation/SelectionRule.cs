namespace Pipeline.Evaluation;

/// <summary>
/// Picks the best candidate by comparing criteria in order: the first criterion on which two candidates differ by more
/// than its tolerance decides. Default: cross-validated macro accuracy (many more images than the test split, so a
/// choice that is not a coin toss), then test macro accuracy, log-loss, latency and size, which only break exact ties.
/// Differences below <see cref="AccuracyTolerance"/> count as ties and fall through to the next criterion.
/// </summary>
public sealed record SelectionRule
{
    public IReadOnlyList<SelectionCriterion> Criteria { get; init; } =
        [SelectionCriterion.CvMacroAccuracy, SelectionCriterion.MacroAccuracy, SelectionCriterion.LogLoss, SelectionCriterion.Latency, SelectionCriterion.Size];

    public double AccuracyTolerance { get; init; }
    public double LogLossTolerance { get; init; }

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
