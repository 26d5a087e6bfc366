using Pipeline.Export;

namespace Pipeline.Training;

/// <summary>
/// A head fitted before (the previous retrain's gate head, or the gate head a refit on more images extends) as the
/// starting point of a new L-BFGS fit over the same features and labels: a warm start.
/// </summary>
/// <remarks>
/// The new fit standardises features with its own rows' statistics, so the old weights are first re-expressed for the
/// new standardisation (<see cref="In"/>): on any feature vector they give the old head's scores. Where L-BFGS starts
/// changes only how many iterations it needs, not where it ends: for L2 &gt; 0 the objective is strictly convex, so a
/// warm fit reaches the cold fit's optimum, within the optimisation tolerance.
/// </remarks>
public sealed record HeadStart(LinearHead Head)
{
    /// <summary>
    /// L-BFGS stops once an iteration improves the objective by less than its tolerance, relatively. Started near the
    /// optimum, every iteration improves it little, so a warm fit at the cold fit's tolerance stops almost where it
    /// started, before the new rows have moved it. Warm fits run at a hundredth of the tolerance: on 180 InceptionV3 rows
    /// started from a head fitted on 90 % of them, the warm fit at 1e-5 ended at objective 22.7957, worse than the cold
    /// fit's 22.7871; at 1e-7 it ended at 22.7748, as close to the optimum as a cold fit at 1e-7, in no more time.
    /// </summary>
    public const float ToleranceFactor = 0.01f;

    /// <summary><paramref name="options"/> with the tolerance a warm-started fit runs at (<see cref="ToleranceFactor"/>).</summary>
    public static HeadOptions Tightened(HeadOptions options) =>
        options with { OptimizationTolerance = options.OptimizationTolerance * ToleranceFactor };

    public int FeatureLength => Head.FeatureLength;
    public int ClassCount => Head.ClassCount;

    /// <summary>
    /// The head's weights (one row of d per class) and biases for features standardised as <c>(x - offset) * scale</c>.
    /// A feature the new standardisation zeroes (scale 0: constant in the new rows) gets weight 0.
    /// </summary>
    /// <param name="offset">Empty when the standardisation only scales (ML.NET's default).</param>
    public (double[][] Weights, float[] Biases) In(float[] scale, float[] offset)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(scale.Length, FeatureLength, nameof(scale));
        var d = FeatureLength;
        var weights = new double[ClassCount][];
        var biases = new float[ClassCount];
        for (var k = 0; k < ClassCount; k++)
        {
            // Old score: Σ W·s·(x - o) + b. With x = x'/s' + o' for the new standardised x', it is
            // Σ (W·s/s')·x' + Σ W·s·(o' - o) + b.
            var row = new double[d];
            double bias = Head.Biases[k];
            for (var f = 0; f < d; f++)
            {
                var w = (double)Head.Weights[k * d + f] * Head.Scale[f];
                if (scale[f] != 0) row[f] = w / scale[f];
                var shift = (offset.Length == 0 ? 0.0 : offset[f]) - (Head.Offset.Length == 0 ? 0.0 : Head.Offset[f]);
                bias += w * shift;
            }

            weights[k] = row;
            biases[k] = (float)bias;
        }

        return (weights, biases);
    }
}
