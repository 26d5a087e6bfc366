namespace Pipeline.Evaluation;

/// <summary>How well a classifier did on a test split.</summary>
/// <param name="MicroAccuracy">Fraction of test images whose top label is right.</param>
/// <param name="MacroAccuracy">Mean over labels of per-label recall: every label counts the same however rare.</param>
/// <param name="LogLoss">Mean negative log of the probability given to the right label (probabilities clipped at 1e-15).</param>
/// <param name="TopKAccuracy">Fraction of test images whose right label is among the <paramref name="TopK"/> best.</param>
public sealed record ClassificationMetrics(
    int TestImages,
    double MicroAccuracy,
    double MacroAccuracy,
    double LogLoss,
    int TopK,
    double TopKAccuracy,
    IReadOnlyList<ClassMetrics> PerClass,
    ConfusionMatrix ConfusionMatrix)
{
    private const double ProbabilityFloor = 1e-15;

    /// <summary>
    /// Computes every metric from the score vectors (one probability per label, in label order). A null vector is an
    /// image that could not be scored (undecodable): a miss for every accuracy and the log-loss floor, counted in its
    /// label's support but in no column of the confusion matrix.
    /// </summary>
    public static ClassificationMetrics Compute(IReadOnlyList<string> labels,
        IReadOnlyList<(string Actual, float[]? Scores)> predictions, int topK = 3)
    {
        ArgumentOutOfRangeException.ThrowIfZero(predictions.Count, nameof(predictions));
        var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var k = labels.Count;
        var counts = new int[k, k];
        var supports = new int[k];
        double logLoss = 0;
        var correct = 0;
        var inTopK = 0;
        topK = Math.Min(topK, k);

        foreach (var (actual, scores) in predictions)
        {
            if (!index.TryGetValue(actual, out var a))
                throw new ArgumentException($"Label '{actual}' is not one of the model's labels.", nameof(predictions));
            supports[a]++;
            if (scores is null)
            {
                logLoss -= Math.Log(ProbabilityFloor);
                continue;
            }

            var predicted = ArgMax(scores);
            counts[a, predicted]++;
            if (predicted == a) correct++;
            logLoss -= Math.Log(Math.Max(scores[a], ProbabilityFloor));
            // Rank of the right label = number of labels scored strictly higher.
            if (scores.Count(s => s > scores[a]) < topK) inTopK++;
        }

        var perClass = new List<ClassMetrics>(k);
        for (var c = 0; c < k; c++)
        {
            int truePositives = counts[c, c], support = supports[c], predictedAsC = 0;
            for (var j = 0; j < k; j++)
                predictedAsC += counts[j, c];

            var precision = predictedAsC == 0 ? 0 : (double)truePositives / predictedAsC;
            var recall = support == 0 ? 0 : (double)truePositives / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.Add(new ClassMetrics(labels[c], support, precision, recall, f1));
        }

        var matrix = Enumerable.Range(0, k)
            .Select(r => (IReadOnlyList<int>)Enumerable.Range(0, k).Select(c => counts[r, c]).ToArray()).ToArray();
        return new ClassificationMetrics(
            predictions.Count,
            (double)correct / predictions.Count,
            PerLabelRecall.MacroAverage(
                predictions.Select(p => (p.Actual, p.Scores is not null && ArgMax(p.Scores) == index[p.Actual])), labels),
            logLoss / predictions.Count,
            topK,
            (double)inTopK / predictions.Count,
            perClass,
            new ConfusionMatrix(labels, matrix));
    }

    /// <summary>The element-wise mean of several probability vectors of one image (test-time averaging over its views).</summary>
    internal static float[] MeanOf(IReadOnlyList<float[]> probabilities)
    {
        ArgumentOutOfRangeException.ThrowIfZero(probabilities.Count, nameof(probabilities));
        var sum = probabilities[0].ToArray();
        for (var v = 1; v < probabilities.Count; v++)
            for (var k = 0; k < sum.Length; k++) sum[k] += probabilities[v][k];
        for (var k = 0; k < sum.Length; k++) sum[k] /= probabilities.Count;
        return sum;
    }

    internal static int ArgMax(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
            if (scores[i] > scores[best]) best = i;
        return best;
    }
}
