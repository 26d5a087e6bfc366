using Pipeline.Evaluation;
using Pipeline.Promotion;

namespace Pipeline.Tests.Service;

/// <summary>
/// The champion/challenger rule the evaluate-and-promote job applies: a paired bootstrap on the same images (pure, so
/// tested without a service). Scores are built image by image: which model got which image right.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class PromotionRuleTests
{
    private static readonly string[] Labels = ["bird", "cat", "dog"];

    /// <summary><paramref name="perLabel"/> images per label; <paramref name="correct"/> says which a model gets right.</summary>
    private static HeldOutScores Scores(int perLabel, Func<string, int, bool> correct, string[]? modelLabels = null) =>
        new(modelLabels ?? Labels, Labels.SelectMany(label => Enumerable.Range(0, perLabel).Select(i =>
        {
            var right = correct(label, i);
            var wrong = Labels.First(l => l != label);
            return new ScoredImage($"{label}-{i:D4}", label, right ? label : wrong, null);
        })).OrderBy(s => s.Sha256, StringComparer.Ordinal).ToList());

    [Fact]
    public void First_model_is_always_promoted()
    {
        var verdict = new PromotionRule(0.5).Decide("v1", Scores(5, (_, i) => i == 0), Labels, championName: null, champion: null);
        Assert.True(verdict.Promote);
        Assert.Contains("first model", verdict.Reason);
    }

    [Fact]
    public void A_clearly_better_challenger_is_promoted_and_the_reason_carries_the_numbers()
    {
        var rule = new PromotionRule();
        var champion = Scores(30, (_, i) => i % 2 == 0);        // 0.500
        var challenger = Scores(30, (_, i) => i % 10 != 9);     // 0.900, right on every image the champion gets right

        var comparison = rule.Compare(Labels, champion, challenger);
        var verdict = rule.Decide("v2 (B)", challenger, Labels, "v1 (A)", champion);

        Assert.True(verdict.Promote, verdict.Reason);
        Assert.Equal(0.9, comparison.ChallengerMacroAccuracy, 9);
        Assert.Equal(0.5, comparison.ChampionMacroAccuracy, 9);
        Assert.InRange(comparison.LowerBound, 0.2, 0.4);
        Assert.Equal(90, comparison.Images);
        Assert.Equal(PromotionBasis.ClearlyBetter, verdict.Basis);
        foreach (var number in new[] { "Clearly-better rule", "90 test images", "0.900", "0.500", "+0.400", "5th percentile of 2000 paired bootstrap resamples", "margin 0.000" })
            Assert.Contains(number, verdict.Reason);
    }

    [Fact]
    public void An_equal_challenger_is_not_promoted()
    {
        var rule = new PromotionRule();
        var same = Scores(20, (label, i) => (i + label.Length) % 3 != 0);

        var comparison = rule.Compare(Labels, same, same);
        var verdict = rule.Decide("v2 (B)", same, Labels, "v1 (A)", same);

        Assert.False(verdict.Promote, verdict.Reason);
        Assert.Equal(0, comparison.Difference, 9);
        Assert.Contains("champion keeps serving", verdict.Reason);
    }

    [Fact]
    public void A_challenger_ahead_by_noise_is_not_promoted_although_its_point_estimate_is_higher()
    {
        var rule = new PromotionRule();
        // 20 images per label; the two models disagree on many images, and the challenger wins one more per label.
        var champion = Scores(20, (_, i) => i < 12);
        var challenger = Scores(20, (_, i) => i >= 7);

        var comparison = rule.Compare(Labels, champion, challenger);
        var verdict = rule.Decide("v2 (B)", challenger, Labels, "v1 (A)", champion);

        Assert.True(comparison.Difference > 0.04, $"difference {comparison.Difference}");
        Assert.True(comparison.LowerBound < 0, $"lower bound {comparison.LowerBound}");
        Assert.False(verdict.Promote, verdict.Reason);
    }

    [Fact]
    public void The_bootstrap_is_seeded_so_a_decision_reproduces()
    {
        var champion = Scores(15, (_, i) => i % 3 != 0);
        var challenger = Scores(15, (_, i) => i % 4 != 0);

        var first = new PromotionRule(Seed: 1).Compare(Labels, champion, challenger);
        var again = new PromotionRule(Seed: 1).Compare(Labels, champion, challenger);

        Assert.Equal(first, again);
    }

    [Fact]
    public void Models_scored_on_different_images_cannot_be_compared()
    {
        Assert.Throws<ArgumentException>(() => new PromotionRule().Compare(Labels, Scores(5, (_, _) => true), Scores(6, (_, _) => true)));
    }

    [Fact]
    public void Champion_counts_as_wrong_on_a_label_it_does_not_know()
    {
        // The champion knew cats and dogs; the new split adds birds, which it can only get wrong.
        var champion = Scores(2, (label, _) => label != "bird", modelLabels: ["cat", "dog"]);
        Assert.Equal(2.0 / 3.0, champion.MacroAccuracy(Labels), 6);
    }

    [Fact]
    public void Images_that_could_not_be_scored_are_misses_in_every_metric()
    {
        var scores = new HeldOutScores(["a", "b"],
        [
            new ScoredImage("1", "a", "a", [0.9f, 0.1f]),
            new ScoredImage("2", "a", null, null),
            new ScoredImage("3", "b", "b", [0.2f, 0.8f]),
        ]);

        var metrics = scores.Metrics();

        Assert.Equal((0.5 + 1.0) / 2, scores.MacroAccuracy(["a", "b", "c"]), 6);
        Assert.Equal((0.5 + 1.0) / 2, metrics.MacroAccuracy, 6);
        Assert.Equal(2.0 / 3.0, metrics.MicroAccuracy, 6);
        Assert.Equal(2, metrics.PerClass[0].Support);
        Assert.Equal(1, metrics.ConfusionMatrix.Counts[0][0]);
    }

    // A changed label set: the champion knew cats and dogs; the new dataset version adds birds.
    private static readonly string[] OldLabels = ["cat", "dog"];

    [Fact]
    public void A_challenger_with_a_new_label_that_holds_the_shared_labels_and_recognises_the_new_one_is_promoted_by_the_new_labels_rule()
    {
        var rule = new PromotionRule();
        var champion = Scores(20, (label, i) => label != "bird" && i % 10 != 9, modelLabels: OldLabels);
        var challenger = Scores(20, (label, i) => label == "bird" ? i < 12 : i % 10 != 9); // same on cats and dogs, 12/20 birds

        var verdict = rule.Decide("v2 (B)", challenger, Labels, "v1 (A)", champion);

        Assert.True(verdict.Promote, verdict.Reason);
        Assert.Equal(PromotionBasis.NewLabels, verdict.Basis);
        Assert.Equal(["bird"], verdict.NewLabels);
        Assert.Equal(0.6, verdict.NewLabelRecall!.Value, 9);
        Assert.Equal(1.0 / 3, verdict.Chance!.Value, 9);
        Assert.Equal(40, verdict.Comparison!.Images); // the bootstrap ran on the shared labels' images only
        foreach (var part in new[] { "New-labels rule", "adds 'bird'", "on the same 40 test images", "not worse beyond noise",
                     "recall on the 20 test images of the new labels 0.600 > chance 0.333 (1/3 labels)", "promoted." })
            Assert.Contains(part, verdict.Reason);
    }

    [Fact]
    public void A_challenger_with_a_new_label_that_is_worse_on_the_shared_labels_is_not_promoted_although_its_macro_accuracy_is_higher()
    {
        var rule = new PromotionRule();
        var champion = Scores(20, (label, i) => label != "bird" && i % 10 != 9, modelLabels: OldLabels); // 0.9 on cats and dogs
        var challenger = Scores(20, (label, i) => label == "bird" || i % 2 == 0);                          // 0.5 on them, every bird

        var verdict = rule.Decide("v2 (B)", challenger, Labels, "v1 (A)", champion);

        Assert.True(challenger.MacroAccuracy(Labels) > champion.MacroAccuracy(Labels), "over every label the challenger looks better");
        Assert.False(verdict.Promote, verdict.Reason);
        Assert.Equal(PromotionBasis.NewLabels, verdict.Basis);
        Assert.True(verdict.Comparison!.LowerBound < 0, $"lower bound {verdict.Comparison.LowerBound}");
        Assert.Contains("worse beyond noise", verdict.Reason);
        Assert.Contains("the champion keeps serving", verdict.Reason);
    }

    [Fact]
    public void A_challenger_with_a_new_label_it_recognises_no_better_than_chance_is_not_promoted()
    {
        var rule = new PromotionRule();
        var champion = Scores(20, (label, i) => label != "bird" && i % 10 != 9, modelLabels: OldLabels);
        var challenger = Scores(20, (label, i) => label == "bird" ? i < 6 : i % 10 != 9); // 6/20 = 0.3 <= 1/3

        var verdict = rule.Decide("v2 (B)", challenger, Labels, "v1 (A)", champion);

        Assert.False(verdict.Promote, verdict.Reason);
        Assert.Equal(0.3, verdict.NewLabelRecall!.Value, 9);
        Assert.Contains("0.300 <= chance 0.333", verdict.Reason);
    }

    [Fact]
    public void A_challenger_that_lacks_a_label_the_champion_answers_is_not_promoted_automatically_even_when_better()
    {
        var rule = new PromotionRule();
        var champion = Scores(20, (_, i) => i % 2 == 0, modelLabels: [.. Labels, "fish"]);
        var challenger = Scores(20, (_, _) => true);

        var verdict = rule.Decide("v2 (B)", challenger, Labels, "v1 (A)", champion);

        Assert.False(verdict.Promote, verdict.Reason);
        Assert.Equal(PromotionBasis.DroppedLabels, verdict.Basis);
        Assert.Equal(["fish"], verdict.DroppedLabels);
        Assert.Contains("Dropped-labels rule", verdict.Reason);
        Assert.Contains("'fish'", verdict.Reason);
        Assert.Contains("by hand", verdict.Reason);
    }
}
