using System.Collections.Immutable;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;

namespace Pipeline.Export;

/// <summary>
/// The numbers of a trained linear head, read from its ML.NET transformers: the standardisation
/// <c>z = (x - Offset) * Scale</c> fitted by NormalizeMeanVariance, then <c>softmax(W z + b)</c> of the maximum-entropy
/// model (L-BFGS or SDCA). Exports rebuild the head from these, so they compute what the service computes.
/// </summary>
public sealed record LinearHead
{
    public required float[] Scale { get; init; }

    /// <summary>Empty when the normaliser fixed zero (ML.NET's default): it only scales.</summary>
    public required float[] Offset { get; init; }

    /// <summary>Row-major, one row of <see cref="FeatureLength"/> weights per class, in the model's label order.</summary>
    public required float[] Weights { get; init; }

    public required float[] Biases { get; init; }
    public int FeatureLength => Scale.Length;
    public int ClassCount => Biases.Length;

    /// <summary>The label probabilities of one feature vector: <c>softmax(W ((x - Offset) * Scale) + b)</c>, as the ML.NET head computes.</summary>
    public float[] Probabilities(ReadOnlySpan<float> features)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(features.Length, FeatureLength, nameof(features));
        var standardised = new float[FeatureLength];
        if (Offset.Length == 0) TensorPrimitives.Multiply(features, Scale, standardised);
        else
        {
            TensorPrimitives.Subtract(features, Offset, standardised);
            TensorPrimitives.Multiply(standardised, Scale, standardised);
        }

        var scores = new float[ClassCount];
        for (var k = 0; k < scores.Length; k++)
            scores[k] = TensorPrimitives.Dot(Weights.AsSpan(k * FeatureLength, FeatureLength), standardised) + Biases[k];
        TensorPrimitives.SoftMax(scores, scores);
        return scores;
    }

    /// <exception cref="PipelineException">The head is not a standardised maximum-entropy model (e.g. LightGBM).</exception>
    public static LinearHead From(ITransformer head, int featureLength, int classCount)
    {
        var parts = head is IEnumerable<ITransformer> chain ? chain.ToList() : [head];
        var predictor = parts.OfType<IPredictionTransformer<object>>().LastOrDefault()
                        ?? throw new PipelineException("The model's head has no trained predictor; it cannot be exported.");
        if (predictor.Model is not MaximumEntropyModelParameters linear)
            throw new PipelineException(
                $"Only linear heads (LbfgsMaximumEntropy, Sdca) can be exported; this model's head is a " +
                $"{predictor.Model.GetType().Name}. Retrain it with --trainer LbfgsMaximumEntropy to export it.");

        var normalizer = parts.OfType<NormalizingTransformer>().SingleOrDefault()
                         ?? throw new PipelineException("The model's head has no feature standardisation; it cannot be exported.");
        if (normalizer.GetNormalizerModelParameters(0) is not NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine)
            throw new PipelineException("The model's feature standardisation is not affine; it cannot be exported.");

        VBuffer<float>[] rows = [];
        linear.GetWeights(ref rows, out var classes);
        var biases = linear.GetBiases().ToArray();
        if (classes != classCount || biases.Length != classCount || affine.Scale.Length != featureLength)
            throw new PipelineException(
                $"The model's head has {classes} classes over {affine.Scale.Length} features; its manifest says " +
                $"{classCount} labels over {featureLength} features.");

        var weights = new float[classCount * featureLength];
        for (var k = 0; k < classCount; k++)
            rows[k].DenseValues().ToArray().CopyTo(weights, k * featureLength);
        return new LinearHead
        {
            Scale = affine.Scale.ToArray(),
            Offset = affine.Offset.IsDefaultOrEmpty ? [] : affine.Offset.ToArray(),
            Weights = weights,
            Biases = biases,
        };
    }
}
