using Pipeline.Evaluation;

namespace Pipeline.Tests.Evaluation;

[Trait("Kind", "Unit")]
public class ClassificationMetricsTests
{
    private static readonly string[] Labels = ["cat", "dog", "fox"];

    // Worked by hand: 4 cats (3 right, 1 called dog), 2 dogs (both right), 1 fox (called cat).
    private static readonly (string, float[]?)[] Predictions =
    [
        ("cat", [0.7f, 0.2f, 0.1f]),
        ("cat", [0.6f, 0.3f, 0.1f]),
        ("cat", [0.5f, 0.4f, 0.1f]),
        ("cat", [0.2f, 0.5f, 0.3f]),
        ("dog", [0.1f, 0.8f, 0.1f]),
        ("dog", [0.3f, 0.6f, 0.1f]),
        ("fox", [0.5f, 0.1f, 0.4f]),
    ];

    [Fact]
    public void Micro_accuracy_counts_images_and_macro_accuracy_weighs_labels_equally()
    {
        var m = ClassificationMetrics.Compute(Labels, Predictions);

        Assert.Equal(5.0 / 7, m.MicroAccuracy, 9);
        Assert.Equal((3.0 / 4 + 2.0 / 2 + 0.0 / 1) / 3, m.MacroAccuracy, 9);
    }

    [Fact]
    public void Log_loss_is_the_mean_negative_log_probability_of_the_true_label()
    {
        var m = ClassificationMetrics.Compute(Labels, Predictions);

        var expected = -(Math.Log(0.7) + Math.Log(0.6) + Math.Log(0.5) + Math.Log(0.2) + Math.Log(0.8) + Math.Log(0.6) + Math.Log(0.4)) / 7;
        Assert.Equal(expected, m.LogLoss, 5);
    }

    [Fact]
    public void Confusion_matrix_and_per_class_scores_match_the_counts()
    {
        var m = ClassificationMetrics.Compute(Labels, Predictions);

        Assert.Equal([3, 1, 0], m.ConfusionMatrix.Counts[0]);
        Assert.Equal([0, 2, 0], m.ConfusionMatrix.Counts[1]);
        Assert.Equal([1, 0, 0], m.ConfusionMatrix.Counts[2]);
        var cat = m.PerClass[0];
        Assert.Equal(3.0 / 4, cat.Precision, 9); // 4 predicted cat, 3 right
        Assert.Equal(3.0 / 4, cat.Recall, 9);
        var dog = m.PerClass[1];
        Assert.Equal(2.0 / 3, dog.Precision, 9);
        Assert.Equal(2 * (2.0 / 3) * 1.0 / (2.0 / 3 + 1.0), dog.F1, 9);
        Assert.Equal(0, m.PerClass[2].F1);
    }

    [Fact]
    public void Top_2_accuracy_counts_the_true_label_in_second_place()
    {
        var m = ClassificationMetrics.Compute(Labels, Predictions, topK: 2);

        // Only the fox (0.4, second place) and the missed cat (0.2, third place) are not first; the fox is in top 2.
        Assert.Equal(6.0 / 7, m.TopKAccuracy, 9);
    }

    [Fact]
    public void A_label_the_model_does_not_know_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Compute(Labels, [("wolf", [0.3f, 0.3f, 0.4f])]));
    }
}
