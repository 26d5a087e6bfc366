using Microsoft.ML;
using Pipeline.Training;

namespace Pipeline.Tests.Training;

[Trait("Kind", "Unit")]
public class HeadTrainerTests
{
    private static readonly string[] Labels = ["circle", "square", "star"];

    // Three seeded Gaussian clusters in 16 dimensions, one per label, centred on different axes.
    private static List<FeatureRow> Clusters(int perLabel, int seed)
    {
        var random = new Random(seed);
        var rows = new List<FeatureRow>();
        for (var label = 0; label < Labels.Length; label++)
        for (var i = 0; i < perLabel; i++)
        {
            var features = new float[16];
            for (var d = 0; d < features.Length; d++) features[d] = (float)(random.NextDouble() - 0.5);
            features[label * 3] += 3f;
            rows.Add(new FeatureRow { Label = Labels[label], Features = features });
        }

        return rows;
    }

    [Theory]
    [InlineData(HeadTrainerKind.LbfgsMaximumEntropy)]
    [InlineData(HeadTrainerKind.Sdca)]
    [InlineData(HeadTrainerKind.LightGbm)]
    public void Every_trainer_separates_clear_clusters_and_scores_follow_the_given_label_order(HeadTrainerKind kind)
    {
        var ml = new MLContext(seed: 7);
        var head = HeadTrainer.Train(ml, Clusters(40, seed: 1), Labels, 16, HeadOptions.Default with { Trainer = kind, LightGbmIterations = 50 });
        var engine = ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(head, inputSchemaDefinition: HeadTrainer.SchemaFor(16));

        var test = Clusters(10, seed: 2);
        var correct = test.Count(row => Labels[Array.IndexOf(engine.Predict(row).Score, engine.Predict(row).Score.Max())] == row.Label);

        Assert.True(correct >= test.Count * 0.9, $"{kind}: {correct}/{test.Count} right");
    }

    [Fact]
    public void Training_twice_with_the_same_seed_gives_the_same_scores()
    {
        float[] ScoresOfFirstTestRow()
        {
            var ml = new MLContext(seed: 3);
            var head = HeadTrainer.Train(ml, Clusters(30, seed: 1), Labels, 16, HeadOptions.Default);
            var engine = ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(head, inputSchemaDefinition: HeadTrainer.SchemaFor(16));
            return engine.Predict(Clusters(1, seed: 9)[0]).Score.ToArray();
        }

        Assert.Equal(ScoresOfFirstTestRow(), ScoresOfFirstTestRow());
    }
}
