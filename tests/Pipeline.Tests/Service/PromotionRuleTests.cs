using Pipeline.Evaluation;

namespace Pipeline.Tests.Service;

/// <summary>The champion/challenger rule the evaluate-and-promote job applies (pure, so tested without a service).</summary>
[Trait("Kind", "Unit")]
public sealed class PromotionRuleTests
{
    [Fact]
    public void First_model_is_always_promoted()
    {
        var verdict = new PromotionRule(0.5).Judge("v1", 0.1, champion: null, championMacro: null);
        Assert.True(verdict.Promote);
        Assert.Contains("first model", verdict.Reason);
    }

    [Theory]
    [InlineData(0.80, 0.80, 0.00, true)]
    [InlineData(0.81, 0.80, 0.01, true)]
    [InlineData(0.805, 0.80, 0.01, false)]
    [InlineData(0.70, 0.80, 0.00, false)]
    [InlineData(1.00, 0.10, 1.00, false)]
    public void Challenger_needs_the_champions_accuracy_plus_the_margin(double challenger, double champion, double margin, bool promote)
    {
        var verdict = new PromotionRule(margin).Judge("v2", challenger, "v1", champion);
        Assert.Equal(promote, verdict.Promote);
        Assert.Contains(promote ? ">=" : "champion keeps serving", verdict.Reason);
    }

    [Fact]
    public void Champion_counts_as_wrong_on_a_label_it_does_not_know()
    {
        // The champion knew cats and dogs; the new split adds birds, which it can only get wrong.
        string[] labels = ["bird", "cat", "dog"];
        var champion = MacroAccuracy.Compute(labels,
        [
            ("cat", "cat"), ("cat", "cat"), ("dog", "dog"), ("dog", "dog"), ("bird", "cat"), ("bird", "dog"),
        ]);
        Assert.Equal(2.0 / 3.0, champion, 6);
    }

    [Fact]
    public void Images_that_could_not_be_scored_are_misses_and_labels_without_test_images_do_not_count()
    {
        var accuracy = MacroAccuracy.Compute(["a", "b", "c"], [("a", "a"), ("a", null), ("b", "b")]);
        Assert.Equal((0.5 + 1.0) / 2, accuracy, 6);
    }
}
