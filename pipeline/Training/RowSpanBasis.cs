using System.Numerics.Tensors;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Pipeline.Training;

/// <summary>
/// An orthonormal basis of the span of n feature rows of width d (n &lt; d), from the eigendecomposition of their Gram
/// matrix <c>K = X Xᵀ = U S² Uᵀ</c>: the rows' coordinates in it are <c>U S</c> (n × r), and a weight vector
/// <c>z</c> in those coordinates is <c>w = Xᵀ U S⁻¹ z</c> in feature space, with <c>‖w‖ = ‖z‖</c> and
/// <c>w · xᵢ = z · (U S)ᵢ</c>.
/// </summary>
/// <remarks>
/// The Gram matrix costs n²·d multiply-adds and the eigendecomposition n³, once per set of rows; every fit after that
/// costs n·r per pass instead of n·d. Products are summed in double from the float features, so the basis is as exact
/// as the features. Directions whose eigenvalue is below <see cref="RelativeEigenvalueFloor"/> of the largest carry
/// only rounding (duplicate or collinear rows) and are dropped.
/// </remarks>
public sealed class RowSpanBasis
{
    /// <summary>Eigenvalues of K below this fraction of the largest are treated as zero.</summary>
    public const double RelativeEigenvalueFloor = 1e-10;

    private readonly double[][] _rows;
    private readonly double[,] _u; // n × r eigenvectors of K
    private readonly double[] _s; // r singular values, sqrt of K's eigenvalues

    private RowSpanBasis(double[][] rows, double[,] u, double[] s)
    {
        _rows = rows;
        _u = u;
        _s = s;
    }

    /// <summary>Rows (n).</summary>
    public int RowCount => _rows.Length;

    /// <summary>The dimension of the span kept (r ≤ n).</summary>
    public int Rank => _s.Length;

    /// <summary>Feature width (d).</summary>
    public int FeatureLength => _rows.Length == 0 ? 0 : _rows[0].Length;

    /// <param name="rows">n rows of equal width d; kept by reference (not copied), so do not change them afterwards.</param>
    public static RowSpanBasis Of(double[][] rows, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(rows.Length, nameof(rows));
        var n = rows.Length;
        var gram = Matrix<double>.Build.Dense(n, n);
        // Each entry is one dot product computed by one thread, so the result does not depend on scheduling.
        Parallel.For(0, n, new ParallelOptions { CancellationToken = ct }, i =>
        {
            for (var j = 0; j <= i; j++)
            {
                var dot = TensorPrimitives.Dot<double>(rows[i], rows[j]);
                gram[i, j] = dot;
                gram[j, i] = dot;
            }
        });

        var evd = gram.Evd(Symmetricity.Symmetric);
        var eigenvalues = evd.EigenValues.Select(c => c.Real).ToArray();
        var largest = eigenvalues.Max();
        var kept = Enumerable.Range(0, n).Where(j => eigenvalues[j] > largest * RelativeEigenvalueFloor && eigenvalues[j] > 0)
            .OrderByDescending(j => eigenvalues[j]).ToArray();
        var u = new double[n, kept.Length];
        var s = new double[kept.Length];
        for (var c = 0; c < kept.Length; c++)
        {
            s[c] = Math.Sqrt(eigenvalues[kept[c]]);
            for (var i = 0; i < n; i++) u[i, c] = evd.EigenVectors[i, kept[c]];
        }

        return new RowSpanBasis(rows, u, s);
    }

    /// <summary>Row i's coordinates in the basis: row i of <c>U S</c>.</summary>
    public float[] Coordinates(int row)
    {
        var result = new float[Rank];
        for (var c = 0; c < result.Length; c++) result[c] = (float)(_u[row, c] * _s[c]);
        return result;
    }

    /// <summary>
    /// The coordinates <c>S⁻¹ Uᵀ X w</c> of feature-space vector <paramref name="w"/> (length d): its orthogonal
    /// projection onto the rows' span, which is all of <paramref name="w"/> that a fit in this basis can represent (the
    /// rest changes no row's score). The inverse of <see cref="ToFeatureSpace"/> on the span.
    /// </summary>
    public float[] ToCoordinates(ReadOnlySpan<double> w)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(w.Length, FeatureLength, nameof(w));
        var projections = new double[RowCount];
        for (var i = 0; i < RowCount; i++) projections[i] = TensorPrimitives.Dot<double>(_rows[i], w);
        var result = new float[Rank];
        for (var c = 0; c < Rank; c++)
        {
            var sum = 0.0;
            for (var i = 0; i < RowCount; i++) sum += _u[i, c] * projections[i];
            result[c] = (float)(sum / _s[c]);
        }

        return result;
    }

    /// <summary>The feature-space vector <c>Xᵀ U S⁻¹ z</c> of coordinates <paramref name="z"/> (length r).</summary>
    public double[] ToFeatureSpace(ReadOnlySpan<float> z)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(z.Length, Rank, nameof(z));
        var result = new double[FeatureLength];
        for (var i = 0; i < RowCount; i++)
        {
            var coefficient = 0.0;
            for (var c = 0; c < Rank; c++) coefficient += _u[i, c] * z[c] / _s[c];
            TensorPrimitives.MultiplyAdd(_rows[i], coefficient, result, result);
        }

        return result;
    }
}
