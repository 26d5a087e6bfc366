using System.Globalization;
using Pipeline.Evaluation;

namespace Pipeline.Promotion;

/// <summary>
/// Champion/challenger, by one of four rules (<see cref="PromotionBasis"/>), chosen by how the two label sets differ:
/// <list type="bullet">
/// <item>No champion: the challenger is promoted.</item>
/// <item>Same labels (clearly better): promoted only when its advantage on the same test images is beyond noise: the
/// lower bound of the paired bootstrap of the macro-accuracy difference (see <see cref="PairedComparison"/>) must exceed
/// <see cref="Margin"/>.</item>
/// <item>New labels (the challenger knows labels the champion lacks, and lacks none the champion knows): the champion
/// cannot answer the new labels at all, so "clearly better on every label" would reward the new labels and punish noise
/// on the old ones by turns. Instead two things must hold: on the shared labels' test images it is not worse beyond
/// noise (bootstrap lower bound ≥ −<see cref="NewLabelMargin"/>), and it recognises the new labels: its recall over their test
/// images together is above chance, 1 / (number of challenger labels), what a uniform guess scores.</item>
/// <item>Dropped labels (the champion knows labels the challenger lacks): never promoted automatically, because predict
/// would stop answering labels it answers today; the figures on the shared labels are still given, and a person may
/// promote it by hand.</item>
/// </list>
/// </summary>
/// <param name="Margin">
/// How far above zero the lower bound must be for a same-label challenger. 0 by default: "better than the champion with
/// 95 % confidence".
/// </param>
/// <param name="Confidence">One-sided confidence of the lower bound (0.95: the 5th percentile).</param>
/// <param name="Resamples">Bootstrap resamples.</param>
/// <param name="Seed">Seed of the resampling, so a decision can be reproduced.</param>
/// <param name="NewLabelMargin">
/// For a challenger that adds labels: how far below zero the lower bound of its difference on the shared labels may be
/// ("not worse beyond noise"). 0.25 by default, because the bound is as wide as the test part is small: with about four
/// test images per label over five shared labels, a challenger exactly as good as the champion has a 5th percentile
/// near -0.18 (one image moves a label's recall by 0.25, the macro figure by 0.05); measured in the service's new-label
/// test, a challenger 2.5 images behind on 22 shared images had -0.222. A smaller margin suits large test parts.
/// </param>
public sealed record PromotionRule(double Margin = 0, double Confidence = 0.95, int Resamples = 2000, int Seed = 42,
    double NewLabelMargin = 0.25)
{
    public PairedComparison Compare(IReadOnlyList<string> labels, HeldOutScores champion, HeldOutScores challenger) =>
        PairedComparison.Compare(labels, champion, challenger, Confidence, Resamples, Seed);

    /// <param name="labels">The split's labels, which are the challenger's: its test images carry only these.</param>
    /// <param name="champion">The champion's scores on the same images (its labels are its <see cref="HeldOutScores.ModelLabels"/>); null: no champion.</param>
    public PromotionVerdict Decide(string challengerName, HeldOutScores challenger, IReadOnlyList<string> labels,
        string? championName, HeldOutScores? champion)
    {
        if (championName is null || champion is null)
            return new PromotionVerdict(true,
                $"{challengerName} is the first model (macro accuracy {F(challenger.MacroAccuracy(labels))}); the first model is always promoted.",
                PromotionBasis.FirstModel);

        var added = labels.Except(champion.ModelLabels, StringComparer.Ordinal).ToList();
        var dropped = champion.ModelLabels.Except(labels, StringComparer.Ordinal).ToList();
        var shared = labels.Intersect(champion.ModelLabels, StringComparer.Ordinal).ToList();

        if (dropped.Count > 0)
        {
            var onShared = Compare(shared, champion, challenger);
            return new PromotionVerdict(false,
                $"Dropped-labels rule: {challengerName} does not know {Names(dropped)}, which {championName} answers; a model that loses " +
                $"labels is never promoted automatically (promote it by hand to accept the loss). On the shared labels {onShared}.",
                PromotionBasis.DroppedLabels, onShared) { NewLabels = added, DroppedLabels = dropped };
        }

        if (added.Count == 0)
        {
            var comparison = Compare(labels, champion, challenger);
            var promote = comparison.LowerBound > Margin;
            return new PromotionVerdict(promote, promote
                ? $"Clearly-better rule: {challengerName} promoted over {championName} {comparison} > margin {F(Margin)}."
                : $"Clearly-better rule: {challengerName} not promoted over {championName} {comparison} <= margin {F(Margin)}: not clearly better; the champion keeps serving.",
                PromotionBasis.ClearlyBetter, comparison);
        }

        var sharedComparison = Compare(shared, champion, challenger);
        var notWorse = sharedComparison.LowerBound >= -NewLabelMargin;
        var newImages = challenger.Images.Where(i => added.Contains(i.Actual, StringComparer.Ordinal)).ToList();
        double? recall = newImages.Count == 0 ? null : (double)newImages.Count(i => i.Correct) / newImages.Count;
        var chance = 1.0 / labels.Count;
        var recognises = recall > chance;
        var sharedClause = shared.Count == 0
            ? "there are no shared labels to compare"
            : $"on the shared labels {sharedComparison} {(notWorse ? ">=" : "<")} -margin {F(NewLabelMargin)} ({(notWorse ? "not worse beyond noise" : "worse beyond noise")})";
        var newClause = recall is { } r
            ? $"recall on the {newImages.Count} test images of the new labels {F(r)} {(recognises ? ">" : "<=")} chance {F(chance)} (1/{labels.Count} labels)"
            : "the new labels have no test images, so recognising them cannot be shown";
        var promoted = notWorse && recognises;
        return new PromotionVerdict(promoted,
            $"New-labels rule: {challengerName} adds {Names(added)} to the labels of {championName}; {sharedClause}; {newClause}: " +
            (promoted ? "promoted." : "not promoted; the champion keeps serving."),
            PromotionBasis.NewLabels, sharedComparison, recall, chance) { NewLabels = added };
    }

    private static string Names(IEnumerable<string> labels) => string.Join(", ", labels.Select(l => $"'{l}'"));

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);
}
