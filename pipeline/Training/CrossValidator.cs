using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Microsoft.ML;
using Pipeline.Evaluation;
using Pipeline.Progress;

namespace Pipeline.Training;

/// <summary>
/// k-fold cross-validation of a head on cached feature vectors: for each L2 of the grid, fit on k-1 folds (plus their
/// mirrored copies when augmenting) and score macro accuracy on the held-out fold (originals only). Only head fits
/// run here; no image is decoded and no backbone runs.
/// </summary>
/// <remarks>
/// Folds run in parallel, one per core. Within a fold an L-BFGS head is fitted in the span of the fold's rows
/// (<see cref="RowSpanHeadFit"/>): the basis is computed once, and the L2 values are fitted from the largest down, each
/// starting from the previous optimum. Each fold's numbers depend only on its rows and the seed, so the report is the
/// same whatever the scheduling. Progress is reported after every fit (fold and L2) with an estimate of the time left.
/// </remarks>
public static class CrossValidator
{
    /// <summary>The <see cref="ProgressUpdate.Stage"/> of cross-validation's reports.</summary>
    public const string ProgressStage = "train";

    /// <param name="rows">Training rows with their content hash, in a fixed order (by hash).</param>
    /// <param name="mirrored">Mirrored features by hash, or null when not augmenting.</param>
    /// <param name="progress">Told after each fit: done and total are fits (folds × L2 values).</param>
    /// <param name="candidate">Named in the progress detail.</param>
    public static CrossValidationReport Run(IReadOnlyList<(string Sha256, FeatureRow Row)> rows,
        IReadOnlyDictionary<string, float[]>? mirrored, FoldAssignment folds, IReadOnlyList<string> labels, int featureLength,
        HeadOptions head, CrossValidationOptions options, int seed,
        IProgress<ProgressUpdate>? progress = null, string candidate = "", CancellationToken ct = default) =>
        Run(rows, mirrored, null, folds, labels, featureLength, head, options, seed, progress, candidate, ct);

    /// <summary>As above, with extra <paramref name="views"/> of the training images.</summary>
    /// <param name="views">
    /// Extra views of the training images: rows for the training folds and/or test-time averaging of the validation fold
    /// (<see cref="ViewGate"/> runs one trial per combination); null: neither.
    /// </param>
    public static CrossValidationReport Run(IReadOnlyList<(string Sha256, FeatureRow Row)> rows,
        IReadOnlyDictionary<string, float[]>? mirrored, ViewFeatures? views, FoldAssignment folds, IReadOnlyList<string> labels,
        int featureLength, HeadOptions head, CrossValidationOptions options, int seed,
        IProgress<ProgressUpdate>? progress = null, string candidate = "", CancellationToken ct = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var grid = options.L2Grid;
        var reporter = new FitProgress(progress, candidate, folds.Folds, grid, clock);
        reporter.Start();

        // accuracy[fold][i] for grid[i]; null for a fold that cannot be scored (no validation rows, or one label to fit).
        var accuracy = new double[]?[folds.Folds];
        try
        {
            Parallel.For(0, folds.Folds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
                fold => accuracy[fold] = RunFold(fold, rows, mirrored, views, folds, labels, featureLength, head, grid, seed, reporter, ct));
        }
        catch (AggregateException e)
        {
            // Callers see what a sequential loop would throw (a cancellation stays an OperationCanceledException).
            ExceptionDispatchInfo.Throw(e.InnerExceptions.OfType<OperationCanceledException>().FirstOrDefault() ?? e.InnerExceptions[0]);
            throw;
        }

        var points = new List<(CrossValidationPoint Point, IReadOnlyList<double> Folds)>();
        for (var i = 0; i < grid.Count; i++)
        {
            var perFold = accuracy.Where(a => a is not null).Select(a => a![i]).ToList();
            points.Add((new CrossValidationPoint(grid[i], Mean(perFold), Sd(perFold)), perFold));
        }

        // Highest mean wins; on a tie the larger L2 (the simpler model).
        var best = points.OrderByDescending(g => g.Point.MeanMacroAccuracy).ThenByDescending(g => g.Point.L2).First();
        return new CrossValidationReport
        {
            Folds = folds.Folds,
            L2 = best.Point.L2,
            MeanMacroAccuracy = best.Point.MeanMacroAccuracy,
            SdMacroAccuracy = best.Point.SdMacroAccuracy,
            FoldMacroAccuracy = best.Folds,
            Grid = points.Select(g => g.Point).ToList(),
            Mirrored = mirrored is not null || (views?.TrainedViews.Contains(Features.ImageView.Mirrored) ?? false),
            Views = views?.TrainedViews ?? [],
            TestTimeAveraging = views?.Average ?? false,
            BalancedLabels = head.BalanceLabels,
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    private static double[]? RunFold(int fold, IReadOnlyList<(string Sha256, FeatureRow Row)> rows,
        IReadOnlyDictionary<string, float[]>? mirrored, ViewFeatures? views, FoldAssignment folds, IReadOnlyList<string> labels,
        int featureLength, HeadOptions head, IReadOnlyList<float> grid, int seed, FitProgress reporter, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        // An image's views are keyed by its hash: they join the fit only when the image itself is in the training part.
        var validation = rows.Where(r => folds.FoldOf(r.Sha256) == fold).ToList();
        var fit = ViewFeatures.FitRows(rows.Where(r => folds.FoldOf(r.Sha256) != fold).ToList(), mirrored, views);
        if (validation.Count == 0 || fit.Select(r => r.Label).Distinct().Count() < 2)
        {
            reporter.Skipped(fold);
            return null;
        }

        var ml = new MLContext(seed);
        var result = new double[grid.Count];
        if (RowSpanHeadFit.Applies(fit.Count, featureLength, head))
        {
            var span = RowSpanHeadFit.Prepare(ml, fit, labels, featureLength, head.BalanceLabels, ct);
            // Largest L2 first: the smoothest problem converges fastest and starts the next one close to its optimum.
            foreach (var i in Enumerable.Range(0, grid.Count).OrderByDescending(i => grid[i]))
            {
                ct.ThrowIfCancellationRequested();
                var model = span.Fit(head with { L2Regularization = grid[i] });
                result[i] = MacroAccuracy(labels, validation, views, features => model.Probabilities(features));
                reporter.Fitted(fold, grid[i]);
            }
        }
        else
        {
            for (var i = 0; i < grid.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var model = HeadTrainer.Train(ml, fit, labels, featureLength, head with { L2Regularization = grid[i] });
                var engine = ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(model,
                    inputSchemaDefinition: HeadTrainer.SchemaFor(featureLength));
                result[i] = MacroAccuracy(labels, validation, views, features => engine.Predict(new FeatureRow { Features = features }).Score.ToArray());
                reporter.Fitted(fold, grid[i]);
            }
        }

        return result;
    }

    private static double MacroAccuracy(IReadOnlyList<string> labels, IReadOnlyList<(string Sha256, FeatureRow Row)> validation,
        ViewFeatures? views, Func<float[], float[]> scores) =>
        ClassificationMetrics.Compute(labels, validation.Select(r =>
            (r.Row.Label, (float[]?)(views is null ? scores(r.Row.Features) : views.Score(r.Sha256, r.Row.Features, scores)))).ToList()).MacroAccuracy;

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
