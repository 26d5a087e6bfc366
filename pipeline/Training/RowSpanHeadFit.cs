using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using Pipeline.Export;

namespace Pipeline.Training;

/// <summary>
/// The L-BFGS maximum-entropy head fitted in the span of its training rows: the same model as the direct ML.NET fit,
/// for a cost that no longer grows with the feature width.
/// </summary>
/// <remarks>
/// The head minimises <c>Σ loss(W xᵢ + b) + λ/2 ‖W‖²</c> over standardised rows xᵢ (bias not penalised). A part of W
/// orthogonal to every xᵢ changes no loss and only adds penalty, so the optimum lies in the rows' span. With n rows
/// fewer than d features, <see cref="RowSpanBasis"/> gives each row r ≤ n coordinates with the same inner products and
/// norms; ML.NET's own L-BFGS on those coordinates minimises the same objective, and the weights map back exactly.
/// From the same zero start, L-BFGS's steps depend only on inner products, so even its iterates are the same.
/// Steps:
/// <list type="number">
/// <item>ML.NET fits the label mapping and the normaliser on the rows, as in the direct fit; its scale standardises them.</item>
/// <item>The basis of the standardised rows (Gram matrix, eigendecomposition): once per set of rows.</item>
/// <item>Each <see cref="Fit"/> runs ML.NET's L-BFGS on the n × r coordinates, warm-started from the previous fit of
/// this instance (the L2 path of cross-validation), and maps the weights back to a <see cref="LinearHead"/>.</item>
/// <item><see cref="ToTransformer"/> builds the usual chain (label key, normaliser, maximum-entropy predictor).</item>
/// </list>
/// Not thread-safe: one instance is one sequence of fits.
/// </remarks>
public sealed class RowSpanHeadFit
{
    private readonly MLContext _ml;
    private readonly IReadOnlyList<string> _labels;
    private readonly TransformerChain<NormalizingTransformer> _preparation;
    private readonly DataViewSchema _trainSchema;
    private readonly float[] _scale;
    private readonly float[] _offset;
    private readonly RowSpanBasis _basis;
    private readonly IDataView _coordinates;
    // Rows weighted by label (LabelBalance): the loss still sees each row only through its score, so the optimum
    // stays in the rows' span.
    private readonly bool _weighted;
    private MaximumEntropyModelParameters? _previous;

    private RowSpanHeadFit(MLContext ml, IReadOnlyList<string> labels, TransformerChain<NormalizingTransformer> preparation,
        DataViewSchema trainSchema, float[] scale, float[] offset, RowSpanBasis basis, IDataView coordinates, bool weighted)
    {
        _ml = ml;
        _labels = labels;
        _preparation = preparation;
        _trainSchema = trainSchema;
        _scale = scale;
        _offset = offset;
        _basis = basis;
        _coordinates = coordinates;
        _weighted = weighted;
    }

    /// <summary>Dimension of the rows' span: the width the L-BFGS fits run at instead of the feature width.</summary>
    public int Rank => _basis.Rank;

    /// <summary>
    /// Whether the row-span fit gives the direct fit's model at less cost: L-BFGS without L1 (L1 is not invariant under
    /// a change of basis), and fewer rows than features (otherwise there is nothing to save).
    /// </summary>
    public static bool Applies(int rows, int featureLength, HeadOptions options) =>
        options.Trainer == HeadTrainerKind.LbfgsMaximumEntropy && options.L1Regularization == 0 && rows < featureLength;

    /// <summary>
    /// Whether one fit (not an L2 path sharing the basis) is cheaper in the rows' span than directly. The basis costs the
    /// Gram matrix (n²·d/2 multiply-adds, SIMD, parallel) and an n × n eigendecomposition (about 8·n³, managed and
    /// single-threaded); the direct fit costs about 100 L-BFGS passes of n·d·k. So the span pays for one fit while
    /// 8·n² + n·d/2 &lt; 100·d·k: up to about 400 rows at 2,432 features and 8 labels. Past that (the final fit or the
    /// served refit of a retrain on thousands of images) the eigendecomposition dominates: on 2,000 ResNet18 images an
    /// incremental retrain, whose only head fits are these, took 0.36 of a full retrain in the span.
    /// </summary>
    public static bool PaysForOneFit(int rows, int featureLength, int classes) =>
        8.0 * rows * rows + rows * (double)featureLength / 2 < 100.0 * featureLength * classes;

    /// <summary>Fits the label mapping and the normaliser (with ML.NET) and the basis of the standardised rows.</summary>
    public static RowSpanHeadFit Prepare(MLContext ml, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> labels,
        int featureLength, bool balanceLabels = false, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labels.Count, 2, nameof(labels));
        ArgumentOutOfRangeException.ThrowIfZero(rows.Count, nameof(rows));
        (rows, var weighted) = LabelBalance.Apply(rows, balanceLabels);
        var data = ml.Data.LoadFromEnumerable(rows, HeadTrainer.SchemaFor(featureLength));
        var preparation = HeadTrainer.Preparation(ml, labels).Fit(data);
        var (scale, offset) = HeadTrainer.StandardisationOf(preparation);

        var standardised = rows.Select(r => Standardise(r.Features, scale, offset)).ToArray();
        ct.ThrowIfCancellationRequested();
        var basis = RowSpanBasis.Of(standardised, ct);
        var coordinateRows = rows.Select((r, i) => new FeatureRow { Label = r.Label, Features = basis.Coordinates(i), Weight = r.Weight }).ToList();
        var coordinateData = ml.Data.LoadFromEnumerable(coordinateRows, HeadTrainer.SchemaFor(basis.Rank));
        var coordinates = ml.Data.Cache(HeadTrainer.LabelMapping(ml, labels).Fit(coordinateData).Transform(coordinateData));
        return new RowSpanHeadFit(ml, labels, preparation, preparation.GetOutputSchema(data.Schema), scale, offset, basis, coordinates, weighted);
    }

    /// <summary>
    /// Makes <paramref name="start"/> (a head over the same features and labels, fitted before on other rows) the starting
    /// point of the next <see cref="Fit"/>: its weights in this fit's standardisation, projected onto the rows' span (the
    /// part outside it changes no row's score, and the optimum has none).
    /// </summary>
    public void StartFrom(HeadStart start)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(start.FeatureLength, _basis.FeatureLength, nameof(start));
        ArgumentOutOfRangeException.ThrowIfNotEqual(start.ClassCount, _labels.Count, nameof(start));
        var (weights, biases) = start.In(_scale, _offset);
        var coordinates = new float[weights.Length * Rank];
        for (var k = 0; k < weights.Length; k++) _basis.ToCoordinates(weights[k]).CopyTo(coordinates, k * Rank);
        _previous = MaximumEntropyPredictorFactory.CreateParameters(_ml, coordinates, biases, Rank, _labels);
    }

    /// <summary>
    /// Fits the head at <paramref name="options"/>' L2 (L-BFGS settings as given), starting from this instance's previous
    /// fit (or <see cref="StartFrom"/>) when there is one: along an L2 path each optimum is close to the last.
    /// </summary>
    public LinearHead Fit(HeadOptions options)
    {
        if (options.Trainer != HeadTrainerKind.LbfgsMaximumEntropy || options.L1Regularization != 0)
            throw new ArgumentException("The row-span fit is for L-BFGS without L1.", nameof(options));
        var trainer = _ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = HeadTrainer.LabelKeyColumn,
            FeatureColumnName = nameof(FeatureRow.Features),
            L2Regularization = options.L2Regularization,
            L1Regularization = 0,
            ExampleWeightColumnName = _weighted ? nameof(FeatureRow.Weight) : null,
            MaximumNumberOfIterations = options.MaximumIterations,
            OptimizationTolerance = options.OptimizationTolerance,
            // Folds already run in parallel; on n × r coordinates one thread is as fast and sums in a fixed order.
            NumberOfThreads = 1,
        });
        var fitted = _previous is null ? trainer.Fit(_coordinates) : trainer.Fit(_coordinates, _previous);
        _previous = fitted.Model;

        VBuffer<float>[] reduced = [];
        fitted.Model.GetWeights(ref reduced, out var classes);
        var weights = new float[classes * _basis.FeatureLength];
        for (var k = 0; k < classes; k++)
        {
            var z = reduced[k].DenseValues().ToArray();
            var w = _basis.ToFeatureSpace(z);
            for (var f = 0; f < w.Length; f++) weights[k * w.Length + f] = (float)w[f];
        }

        return new LinearHead { Scale = _scale, Offset = _offset, Weights = weights, Biases = fitted.Model.GetBiases().ToArray() };
    }

    /// <summary>The head as the ML.NET chain a direct fit gives: label key, normaliser (fitted here), predictor.</summary>
    public ITransformer ToTransformer(LinearHead head) =>
        _preparation.Append(MaximumEntropyPredictorFactory.Create(_ml, head.Weights, head.Biases, head.FeatureLength, _labels,
            _trainSchema, nameof(FeatureRow.Features), HeadTrainer.LabelKeyColumn));

    private static double[] Standardise(float[] features, float[] scale, float[] offset)
    {
        // The normaliser computes (x - offset) * scale in float; doing the same keeps the basis on its exact inputs.
        var standardised = new float[features.Length];
        if (offset.Length == 0) TensorPrimitives.Multiply(features, scale, standardised);
        else
        {
            TensorPrimitives.Subtract(features, offset, standardised);
            TensorPrimitives.Multiply(standardised, scale, standardised);
        }

        var result = new double[features.Length];
        for (var i = 0; i < result.Length; i++) result[i] = standardised[i];
        return result;
    }
}
