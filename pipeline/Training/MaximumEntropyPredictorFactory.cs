using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace Pipeline.Training;

/// <summary>
/// Builds the prediction transformer of a maximum-entropy head from weights computed outside ML.NET (the row-span fit
/// of <see cref="RowSpanHeadFit"/>), so the head is the same ML.NET model a direct fit gives: it saves as head.zip, and
/// export (<see cref="Export.LinearHead.From"/>) and the service read it unchanged.
/// </summary>
/// <remarks>
/// ML.NET 5.0.1 has no public constructor for <see cref="MaximumEntropyModelParameters"/> nor for
/// <see cref="MulticlassPredictionTransformer{TModel}"/>: its trainers call internal ones. Both are found by
/// reflection, once; if a later ML.NET renames them this fails with a message naming the member and the version, and
/// the equivalence test (tests/Pipeline.Tests/Training/RowSpanHeadFitTests.cs) fails with it.
/// </remarks>
public static class MaximumEntropyPredictorFactory
{
    private static readonly Lazy<ConstructorInfo> ParametersConstructor = new(() => Find(typeof(MaximumEntropyModelParameters),
        [typeof(IHostEnvironment), typeof(VBuffer<float>[]), typeof(float[]), typeof(int), typeof(int), typeof(string[]), typeof(ModelStatisticsBase)]));

    private static readonly Lazy<ConstructorInfo> TransformerConstructor = new(() => Find(
        typeof(MulticlassPredictionTransformer<MaximumEntropyModelParameters>),
        [typeof(IHostEnvironment), typeof(MaximumEntropyModelParameters), typeof(DataViewSchema), typeof(string), typeof(string), typeof(string), typeof(string)]));

    /// <param name="weights">Row-major, one row of <paramref name="featureLength"/> weights per class.</param>
    /// <param name="biases">One per class.</param>
    /// <param name="labels">The class names, in key order (what the trainer records from the label column's key values).</param>
    /// <param name="trainSchema">The schema the predictor reads: the output of the label mapping and the normaliser.</param>
    public static MulticlassPredictionTransformer<MaximumEntropyModelParameters> Create(MLContext ml, float[] weights,
        float[] biases, int featureLength, IReadOnlyList<string> labels, DataViewSchema trainSchema, string featureColumn,
        string labelColumn)
    {
        var parameters = CreateParameters(ml, weights, biases, featureLength, labels);
        IHostEnvironment environment = ml;
        return (MulticlassPredictionTransformer<MaximumEntropyModelParameters>)TransformerConstructor.Value.Invoke(
            [environment, parameters, trainSchema, featureColumn, labelColumn, DefaultColumnNames.Score, DefaultColumnNames.PredictedLabel]);
    }

    /// <summary>
    /// The model parameters alone: what <see cref="Create"/> wraps, and what an L-BFGS fit takes as its starting point
    /// (<c>Fit(data, parameters)</c>, a warm start).
    /// </summary>
    /// <param name="weights">Row-major, one row of <paramref name="featureLength"/> weights per class.</param>
    public static MaximumEntropyModelParameters CreateParameters(MLContext ml, float[] weights, float[] biases, int featureLength,
        IReadOnlyList<string> labels)
    {
        var classes = biases.Length;
        ArgumentOutOfRangeException.ThrowIfNotEqual(weights.Length, classes * featureLength, nameof(weights));
        ArgumentOutOfRangeException.ThrowIfNotEqual(labels.Count, classes, nameof(labels));
        var rows = new VBuffer<float>[classes];
        for (var k = 0; k < classes; k++)
            rows[k] = new VBuffer<float>(featureLength, weights.AsSpan(k * featureLength, featureLength).ToArray());

        IHostEnvironment environment = ml;
        return (MaximumEntropyModelParameters)ParametersConstructor.Value.Invoke(
            [environment, rows, biases.ToArray(), classes, featureLength, labels.ToArray(), null]);
    }

    private static ConstructorInfo Find(Type type, Type[] parameters) =>
        type.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, parameters)
        ?? throw new InvalidOperationException(
            $"ML.NET {PackageVersions.Current["Microsoft.ML"]} has no constructor " +
            $"{type.Name}({string.Join(", ", parameters.Select(p => p.Name))}); the row-span head fit was written against " +
            $"ML.NET {WrittenAgainst}. Update {nameof(MaximumEntropyPredictorFactory)} to this version's constructor.");

    private const string WrittenAgainst = "5.0.1";

    // Microsoft.ML's DefaultColumnNames is internal; these are the names its multiclass trainers give their outputs.
    private static class DefaultColumnNames
    {
        public const string Score = "Score";
        public const string PredictedLabel = "PredictedLabel";
    }
}
