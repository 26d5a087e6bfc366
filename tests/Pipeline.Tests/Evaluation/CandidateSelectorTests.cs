using Pipeline.Evaluation;
using Pipeline.Training;

namespace Pipeline.Tests.Evaluation;

[Trait("Kind", "Unit")]
public class CandidateSelectorTests
{
    private static CandidateReport Candidate(string name, double macro, double logLoss, double latency = 10, long bytes = 1000) => new()
    {
        Architecture = name, Taps = [], FeatureLength = 1, Trainer = nameof(HeadTrainerKind.LbfgsMaximumEntropy),
        TrainImages = 1, TestImages = 1, MicroAccuracy = macro, MacroAccuracy = macro, LogLoss = logLoss, TopK = 1,
        TopKAccuracy = 1, PerClass = [], ConfusionMatrix = new ConfusionMatrix([], []), TrainSeconds = 1,
        FeaturizeImagesPerSecond = 1, FeaturizedImages = 1, CachedImages = 0, ModelBytes = bytes, PredictLatencyMs = latency,
    };

    [Fact]
    public void Higher_macro_accuracy_wins_even_with_worse_log_loss()
    {
        var choice = CandidateSelector.Choose([Candidate("A", 0.80, 0.9), Candidate("B", 0.85, 1.2)], SelectionRule.Default);

        Assert.Equal("B", choice.Best.Architecture);
        Assert.Contains("MacroAccuracy", choice.Explanation);
    }

    [Fact]
    public void Equal_macro_accuracy_falls_through_to_log_loss_then_latency()
    {
        var byLogLoss = CandidateSelector.Choose([Candidate("A", 0.8, 0.7), Candidate("B", 0.8, 0.5)], SelectionRule.Default);
        var byLatency = CandidateSelector.Choose([Candidate("A", 0.8, 0.5, latency: 30), Candidate("B", 0.8, 0.5, latency: 12)], SelectionRule.Default);

        Assert.Equal("B", byLogLoss.Best.Architecture);
        Assert.Equal("B", byLatency.Best.Architecture);
        Assert.Contains("Latency", byLatency.Explanation);
    }

    [Fact]
    public void A_configured_rule_changes_the_winner()
    {
        var rule = SelectionRule.Parse("size, macroAccuracy");

        var choice = CandidateSelector.Choose([Candidate("Big", 0.9, 0.2, bytes: 90_000_000), Candidate("Small", 0.7, 0.9, bytes: 9_000_000)], rule);

        Assert.Equal("Small", choice.Best.Architecture);
    }

    [Fact]
    public void An_unknown_criterion_is_reported_by_name()
    {
        var e = Assert.Throws<PipelineException>(() => SelectionRule.Parse("macroAccuracy,beauty"));
        Assert.Contains("beauty", e.Message);
    }
}
