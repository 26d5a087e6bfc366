using System.Globalization;

namespace Pipeline.Evaluation;

/// <summary>Applies a <see cref="SelectionRule"/> to evaluated candidates.</summary>
public static class CandidateSelector
{
    public static CandidateSelection Choose(IReadOnlyList<CandidateReport> candidates, SelectionRule rule)
    {
        ArgumentOutOfRangeException.ThrowIfZero(candidates.Count, nameof(candidates));
        var ordered = candidates.ToList();
        ordered.Sort((a, b) => Compare(a, b, rule));
        var best = ordered[0];
        if (ordered.Count == 1)
            return new CandidateSelection(best, $"{best.Architecture} was the only candidate.");

        var reasons = ordered.Skip(1).Select(other =>
        {
            var decisive = rule.Criteria.FirstOrDefault(c => CompareOn(best, other, c, rule) != 0);
            return CompareOn(best, other, decisive, rule) == 0
                ? $"ties with {other.Architecture} on every criterion (kept the first listed)"
                : $"beats {other.Architecture} on {decisive} ({Format(best, decisive)} vs {Format(other, decisive)})";
        });
        return new CandidateSelection(best,
            $"{best.Architecture} chosen by rule [{rule}]: it {string.Join("; ", reasons)}.");
    }

    private static int Compare(CandidateReport a, CandidateReport b, SelectionRule rule)
    {
        foreach (var criterion in rule.Criteria)
        {
            var result = CompareOn(a, b, criterion, rule);
            if (result != 0) return result;
        }

        return 0;
    }

    /// <summary>Negative when <paramref name="a"/> is better.</summary>
    private static int CompareOn(CandidateReport a, CandidateReport b, SelectionCriterion criterion, SelectionRule rule)
    {
        static int HigherWins(double x, double y, double tolerance) => Math.Abs(x - y) <= tolerance ? 0 : y.CompareTo(x);
        static int LowerWins(double x, double y, double tolerance) => Math.Abs(x - y) <= tolerance ? 0 : x.CompareTo(y);
        return criterion switch
        {
            // A candidate without cross-validation (an old manifest) ranks below every cross-validated one.
            SelectionCriterion.CvMacroAccuracy => HigherWins(CvMean(a), CvMean(b), rule.AccuracyTolerance),
            SelectionCriterion.MacroAccuracy => HigherWins(a.MacroAccuracy, b.MacroAccuracy, rule.AccuracyTolerance),
            SelectionCriterion.MicroAccuracy => HigherWins(a.MicroAccuracy, b.MicroAccuracy, rule.AccuracyTolerance),
            SelectionCriterion.LogLoss => LowerWins(a.LogLoss, b.LogLoss, rule.LogLossTolerance),
            SelectionCriterion.Latency => LowerWins(a.PredictLatencyMs, b.PredictLatencyMs, 0),
            SelectionCriterion.Size => LowerWins(a.ModelBytes, b.ModelBytes, 0),
            _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, null),
        };
    }

    private static double CvMean(CandidateReport c) => c.CrossValidation?.MeanMacroAccuracy ?? -1;

    private static string Format(CandidateReport c, SelectionCriterion criterion) => criterion switch
    {
        SelectionCriterion.CvMacroAccuracy => c.CrossValidation is { } cv
            ? string.Create(CultureInfo.InvariantCulture, $"{cv.MeanMacroAccuracy:0.000} ± {cv.SdMacroAccuracy:0.000}")
            : "none",
        SelectionCriterion.MacroAccuracy => c.MacroAccuracy.ToString("0.000", CultureInfo.InvariantCulture),
        SelectionCriterion.MicroAccuracy => c.MicroAccuracy.ToString("0.000", CultureInfo.InvariantCulture),
        SelectionCriterion.LogLoss => c.LogLoss.ToString("0.000", CultureInfo.InvariantCulture),
        SelectionCriterion.Latency => c.PredictLatencyMs.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        SelectionCriterion.Size => (c.ModelBytes / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        _ => "",
    };
}
