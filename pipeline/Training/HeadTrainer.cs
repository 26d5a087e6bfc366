using Microsoft.ML;
using Microsoft.ML.Data;

namespace Pipeline.Training;

/// <summary>
/// Trains the classifier head on feature vectors: label to key (in the given label order, so score i is label i),
/// standardise features, multiclass trainer. The frozen backbone is not part of this model; a trained head is saved
/// beside a pinned reference to its backbone (see <see cref="Registry.ModelArtifact"/>).
/// </summary>
/// <remarks>
/// With far fewer rows than features (the usual case: hundreds of images, thousands of features), an L-BFGS head without
/// L1 is fitted in the span of its rows (<see cref="RowSpanHeadFit"/>): the same model, at a cost that does not grow
/// with the feature width. Otherwise (<see cref="RowSpanHeadFit.PaysForOneFit"/>), and for SDCA and LightGBM, ML.NET
/// fits it directly.
/// </remarks>
public static class HeadTrainer
{
    public const string LabelKeyColumn = "LabelKey";

    /// <param name="start">
    /// A head over the same features and labels to start L-BFGS from (a warm start, <see cref="HeadStart"/>, at a tighter
    /// tolerance); it moves the fit only within the optimisation tolerance. Ignored by SDCA and LightGBM.
    /// </param>
    public static ITransformer Train(MLContext ml, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> labels,
        int featureLength, HeadOptions options, HeadStart? start = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labels.Count, 2, nameof(labels));
        if (RowSpanHeadFit.Applies(rows.Count, featureLength, options) && RowSpanHeadFit.PaysForOneFit(rows.Count, featureLength, labels.Count))
        {
            var span = RowSpanHeadFit.Prepare(ml, rows, labels, featureLength, options.BalanceLabels);
            if (start is null) return span.ToTransformer(span.Fit(options));
            span.StartFrom(start);
            return span.ToTransformer(span.Fit(HeadStart.Tightened(options)));
        }

        return TrainDirectly(ml, rows, labels, featureLength, options, start);
    }

    /// <summary>The ML.NET fit on the full feature width, whatever the shape of the data (the reference the row-span fit is tested against).</summary>
    public static ITransformer TrainDirectly(MLContext ml, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> labels,
        int featureLength, HeadOptions options, HeadStart? start = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labels.Count, 2, nameof(labels));
        (rows, var weighted) = LabelBalance.Apply(rows, options.BalanceLabels);
        var weight = weighted ? nameof(FeatureRow.Weight) : null;
        var data = ml.Data.LoadFromEnumerable(rows, SchemaFor(featureLength));
        var prepare = Preparation(ml, labels);

        if (options.Trainer == HeadTrainerKind.LbfgsMaximumEntropy && start is not null)
        {
            ArgumentOutOfRangeException.ThrowIfNotEqual(start.FeatureLength, featureLength, nameof(start));
            ArgumentOutOfRangeException.ThrowIfNotEqual(start.ClassCount, labels.Count, nameof(start));
            var preparation = prepare.Fit(data);
            var (scale, offset) = StandardisationOf(preparation);
            var (weights, biases) = start.In(scale, offset);
            var initial = MaximumEntropyPredictorFactory.CreateParameters(ml, weights.SelectMany(w => w.Select(v => (float)v)).ToArray(),
                biases, featureLength, labels);
            return preparation.Append(Lbfgs(ml, HeadStart.Tightened(options), weight).Fit(preparation.Transform(data), initial));
        }

        IEstimator<ITransformer> trainer = options.Trainer switch
        {
            HeadTrainerKind.LbfgsMaximumEntropy => Lbfgs(ml, options, weight),
            HeadTrainerKind.Sdca => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                new Microsoft.ML.Trainers.SdcaMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = LabelKeyColumn,
                    FeatureColumnName = nameof(FeatureRow.Features),
                    ExampleWeightColumnName = weight,
                    L2Regularization = options.L2Regularization / rows.Count,
                    MaximumNumberOfIterations = options.MaximumIterations,
                    // Several threads make SDCA's result depend on scheduling; one keeps training reproducible.
                    NumberOfThreads = 1,
                }),
            HeadTrainerKind.LightGbm => ml.MulticlassClassification.Trainers.LightGbm(
                new Microsoft.ML.Trainers.LightGbm.LightGbmMulticlassTrainer.Options
                {
                    LabelColumnName = LabelKeyColumn,
                    FeatureColumnName = nameof(FeatureRow.Features),
                    ExampleWeightColumnName = weight,
                    NumberOfIterations = options.LightGbmIterations,
                    Seed = 1,
                    NumberOfThreads = 1,
                    Verbose = false,
                    Silent = true,
                }),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Trainer, "Unknown head trainer."),
        };

        return prepare.Append(trainer).Fit(data);
    }

    /// <param name="weight">The rows' weight column (<see cref="LabelBalance"/>), or null: every row weighs 1.</param>
    private static Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer Lbfgs(MLContext ml, HeadOptions options, string? weight) =>
        ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = LabelKeyColumn,
            FeatureColumnName = nameof(FeatureRow.Features),
            ExampleWeightColumnName = weight,
            L2Regularization = options.L2Regularization,
            L1Regularization = options.L1Regularization,
            MaximumNumberOfIterations = options.MaximumIterations,
            OptimizationTolerance = options.OptimizationTolerance,
        });

    /// <summary>The fitted standardisation <c>(x - offset) * scale</c> of a <see cref="Preparation"/> (offset empty: scale only).</summary>
    public static (float[] Scale, float[] Offset) StandardisationOf(TransformerChain<Microsoft.ML.Transforms.NormalizingTransformer> preparation)
    {
        if (preparation.LastTransformer.GetNormalizerModelParameters(0)
            is not Microsoft.ML.Transforms.NormalizingTransformer.AffineNormalizerModelParameters<System.Collections.Immutable.ImmutableArray<float>> affine)
            throw new InvalidOperationException("NormalizeMeanVariance gave a non-affine normaliser; its scale cannot be read.");
        return (affine.Scale.ToArray(), affine.Offset.IsDefaultOrEmpty ? [] : affine.Offset.ToArray());
    }

    /// <summary>Label to key in the given label order (score i is label i), then standardised features.</summary>
    public static EstimatorChain<Microsoft.ML.Transforms.NormalizingTransformer> Preparation(MLContext ml, IReadOnlyList<string> labels) =>
        LabelMapping(ml, labels).Append(ml.Transforms.NormalizeMeanVariance(nameof(FeatureRow.Features)));

    /// <summary>Label to key in the given label order, so a label missing from the rows still has its score.</summary>
    public static IEstimator<Microsoft.ML.Transforms.ValueToKeyMappingTransformer> LabelMapping(MLContext ml, IReadOnlyList<string> labels) =>
        ml.Transforms.Conversion.MapValueToKey(LabelKeyColumn, nameof(FeatureRow.Label),
            keyData: ml.Data.LoadFromEnumerable(labels.Select(l => new LabelRow { Label = l })));

    /// <summary>Writes the head as an ML.NET model zip (what <c>head.zip</c> holds).</summary>
    public static void Save(MLContext ml, ITransformer head, int featureLength, Stream destination)
    {
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), SchemaFor(featureLength)).Schema;
        ml.Model.Save(head, schema, destination);
    }

    /// <summary>The input schema with the vector length fixed, which ML.NET needs for a float[] column.</summary>
    public static SchemaDefinition SchemaFor(int featureLength)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureLength);
        return schema;
    }
}
