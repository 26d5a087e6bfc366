using System.Globalization;
using Pipeline.Evaluation;

namespace Pipeline.Promotion;

/// <summary>
/// Champion/challenger: a challenger replaces the serving model only when its advantage on the same test images is
/// beyond noise: the lower bound of the paired bootstrap of the macro-accuracy difference (see
/// <see cref="PairedComparison"/>) must exceed <see cref="Margin"/>. With no champion the challenger always wins.
/// </summary>
/// <param name="Margin">
/// How far above zero the lower bound must be. 0 by default: "better than the champion with 95 % confidence". This is
/// the old <c>PromotionMargin</c>, which used to be added to the point difference; a fixed 0.01 on a few dozen test
/// images was noise (one image moves macro accuracy by more than that).
/// </param>
/// <param name="Confidence">One-sided confidence of the lower bound (0.95: the 5th percentile).</param>
/// <param name="Resamples">Bootstrap resamples.</param>
/// <param name="Seed">Seed of the resampling, so a decision can be reproduced.</param>
public sealed record PromotionRule(double Margin = 0, double Confidence = 0.95, int Resamples = 2000, int Seed = 42)
{
    public PairedComparison Compare(IReadOnlyList<string> labels, HeldOutScores champion, HeldOutScores challenger) =>
        PairedComparison.Compare(labels, champion, challenger, Confidence, Resamples, Seed);

    public PromotionVerdict Judge(string challenger, double challengerMacro, string? champion, PairedComparison? comparison)
    {
        if (champion is null || comparison is null)
            return new PromotionVerdict(true, $"{challenger} is the first model (macro accuracy {F(challengerMacro)}); the first model is always promoted.");

        var promote = comparison.LowerBound > Margin;
        return new PromotionVerdict(promote, promote
            ? $"{challenger} promoted over {champion} {comparison} > margin {F(Margin)}."
            : $"{challenger} not promoted over {champion} {comparison} <= margin {F(Margin)}: not clearly better; the champion keeps serving.");
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}

/// <summary>Whether to promote, and a sentence saying why.</summary>
public sealed record PromotionVerdict(bool Promote, string Reason);
