using Microsoft.ML;
using Microsoft.ML.Data;

namespace Pipeline.Training;

/// <summary>
/// Trains the classifier head on feature vectors: label to key (in the given label order, so score i is label i),
/// standardise features, multiclass trainer. The frozen backbone is not part of this model; a trained head is saved
/// beside a pinned reference to its backbone (see <see cref="Registry.ModelArtifact"/>).
/// </summary>
public static class HeadTrainer
{
    public const string LabelKeyColumn = "LabelKey";

    public static ITransformer Train(MLContext ml, IReadOnlyList<FeatureRow> rows, IReadOnlyList<string> labels,
        int featureLength, HeadOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(labels.Count, 2, nameof(labels));
        var data = ml.Data.LoadFromEnumerable(rows, SchemaFor(featureLength));
        var keyData = ml.Data.LoadFromEnumerable(labels.Select(l => new LabelRow { Label = l }));

        var prepare = ml.Transforms.Conversion
            .MapValueToKey(LabelKeyColumn, nameof(FeatureRow.Label), keyData: keyData)
            .Append(ml.Transforms.NormalizeMeanVariance(nameof(FeatureRow.Features)));

        IEstimator<ITransformer> trainer = options.Trainer switch
        {
            HeadTrainerKind.LbfgsMaximumEntropy => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(
                new Microsoft.ML.Trainers.LbfgsMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = LabelKeyColumn,
                    FeatureColumnName = nameof(FeatureRow.Features),
                    L2Regularization = options.L2Regularization,
                    L1Regularization = options.L1Regularization,
                    MaximumNumberOfIterations = options.MaximumIterations,
                    OptimizationTolerance = options.OptimizationTolerance,
                }),
            HeadTrainerKind.Sdca => ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(
                new Microsoft.ML.Trainers.SdcaMaximumEntropyMulticlassTrainer.Options
                {
                    LabelColumnName = LabelKeyColumn,
                    FeatureColumnName = nameof(FeatureRow.Features),
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
