using System.Diagnostics;
using Microsoft.ML;
using Pipeline.Evaluation;

namespace Pipeline.Training;

/// <summary>
/// k-fold cross-validation of a head on cached feature vectors: for each L2 of the grid, fit on k-1 folds (plus their
/// mirrored copies when augmenting) and score macro accuracy on the held-out fold (originals only). Only L-BFGS fits
/// run here; no image is decoded and no backbone runs.
/// </summary>
public static class CrossValidator
{
    /// <param name="rows">Training rows with their content hash, in a fixed order (by hash).</param>
    /// <param name="mirrored">Mirrored features by hash, or null when not augmenting.</param>
    public static CrossValidationReport Run(IReadOnlyList<(string Sha256, FeatureRow Row)> rows,
        IReadOnlyDictionary<string, float[]>? mirrored, FoldAssignment folds, IReadOnlyList<string> labels, int featureLength,
        HeadOptions head, CrossValidationOptions options, int seed, CancellationToken ct = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var grid = new List<(CrossValidationPoint Point, IReadOnlyList<double> Folds)>();
        foreach (var l2 in options.L2Grid)
        {
            var perFold = new List<double>(folds.Folds);
            for (var fold = 0; fold < folds.Folds; fold++)
            {
                ct.ThrowIfCancellationRequested();
                var validation = rows.Where(r => folds.FoldOf(r.Sha256) == fold).Select(r => r.Row).ToList();
                if (validation.Count == 0) continue;
                var training = rows.Where(r => folds.FoldOf(r.Sha256) != fold).ToList();
                var fit = WithMirrored(training, mirrored);
                if (fit.Select(r => r.Label).Distinct().Count() < 2) continue;

                var ml = new MLContext(seed);
                var model = HeadTrainer.Train(ml, fit, labels, featureLength, head with { L2Regularization = l2 });
                var engine = ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(model,
                    inputSchemaDefinition: HeadTrainer.SchemaFor(featureLength));
                perFold.Add(ClassificationMetrics.Compute(labels,
                    validation.Select(r => (r.Label, (float[]?)engine.Predict(r).Score.ToArray())).ToList()).MacroAccuracy);
            }

            grid.Add((new CrossValidationPoint(l2, Mean(perFold), Sd(perFold)), perFold));
        }

        // Highest mean wins; on a tie the larger L2 (the simpler model).
        var best = grid.OrderByDescending(g => g.Point.MeanMacroAccuracy).ThenByDescending(g => g.Point.L2).First();
        return new CrossValidationReport
        {
            Folds = folds.Folds,
            L2 = best.Point.L2,
            MeanMacroAccuracy = best.Point.MeanMacroAccuracy,
            SdMacroAccuracy = best.Point.SdMacroAccuracy,
            FoldMacroAccuracy = best.Folds,
            Grid = grid.Select(g => g.Point).ToList(),
            Mirrored = mirrored is not null,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The rows plus, when augmenting, a mirrored copy of each (same label) that has mirrored features.</summary>
    public static List<FeatureRow> WithMirrored(IReadOnlyList<(string Sha256, FeatureRow Row)> rows,
        IReadOnlyDictionary<string, float[]>? mirrored)
    {
        var result = rows.Select(r => r.Row).ToList();
        if (mirrored is null) return result;
        foreach (var (sha, row) in rows)
            if (mirrored.TryGetValue(sha, out var features))
                result.Add(new FeatureRow { Label = row.Label, Features = features });
        return result;
    }

    private static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? 0 : values.Average();

    /// <summary>Sample standard deviation over folds.</summary>
    private static double Sd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
