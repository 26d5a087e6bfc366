using System.Globalization;

namespace Pipeline.Evaluation;

/// <summary>
/// Champion/challenger: a challenger replaces the serving model only if its macro accuracy on the new test split is at
/// least the champion's (on the same images) plus <see cref="Margin"/>. With no champion the challenger always wins.
/// </summary>
public sealed record PromotionRule(double Margin)
{
    public PromotionVerdict Judge(string challenger, double challengerMacro, string? champion, double? championMacro)
    {
        if (champion is null || championMacro is null)
            return new PromotionVerdict(true, $"{challenger} is the first model (macro accuracy {F(challengerMacro)}); the first model is always promoted.");

        var needed = championMacro.Value + Margin;
        // A hair of tolerance so that 0.8 + 0.0 >= 0.8 is not lost to floating point.
        return challengerMacro + 1e-12 >= needed
            ? new PromotionVerdict(true,
                $"{challenger} macro accuracy {F(challengerMacro)} >= champion {champion} {F(championMacro.Value)} + margin {F(Margin)} on the same test split.")
            : new PromotionVerdict(false,
                $"{challenger} macro accuracy {F(challengerMacro)} < champion {champion} {F(championMacro.Value)} + margin {F(Margin)} on the same test split; the champion keeps serving.");
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}

/// <summary>Whether to promote, and a sentence saying why.</summary>
public sealed record PromotionVerdict(bool Promote, string Reason);
