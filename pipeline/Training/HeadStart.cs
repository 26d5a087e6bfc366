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
