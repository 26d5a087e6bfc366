namespace Pipeline.Features;

/// <summary>
/// The geometry of the <see cref="ImageView"/>s on the backbone's square input canvas. A scaled view resamples the
/// fitted image about the canvas centre with a separable linear filter, <c>out = A · X · Aᵀ + white · (1 − a·aᵀ)</c>
/// per channel, where <c>A</c> is <see cref="ResampleMatrix"/> and <c>a</c> its row sums (1 inside the content, 0 in the
/// border a shrunk view leaves): the service runs it on the tensor, the ONNX export runs the same matrices as MatMul
/// nodes, so both see the same pixels.
/// </summary>
/// <remarks>
/// The filter is a tent whose half-width is one source pixel when enlarging (bilinear) and 1/scale source pixels when
/// shrinking, so a shrunk view averages what it drops instead of aliasing it.
/// </remarks>
public static class ImageViewGeometry
{
    /// <summary>The views a model augments its training rows with, and averages over at test time with the original.</summary>
    public static IReadOnlyList<ImageView> Augmenting { get; } = [ImageView.Mirrored, ImageView.Shrunk, ImageView.Enlarged];

    /// <summary>The original followed by <see cref="Augmenting"/>: the test-time views, in the order they are averaged.</summary>
    public static IReadOnlyList<ImageView> WithOriginal { get; } = [ImageView.Original, .. Augmenting];

    /// <summary>How large the content is drawn, relative to its fitted size.</summary>
    public static double ScaleOf(ImageView view) => view switch
    {
        ImageView.Shrunk => 0.75,
        ImageView.Enlarged => 1.3,
        _ => 1.0,
    };

    public static bool IsScaled(ImageView view) => ScaleOf(view) != 1.0;

    /// <summary>
    /// The suffix of a view's feature-cache key (none for the original, whose key is the backbone's own). Scaled views
    /// name their scale, so a change of scale can never read vectors of the old one.
    /// </summary>
    public static string CacheSuffix(ImageView view) => view switch
    {
        ImageView.Original => "",
        ImageView.Mirrored => "-mirrored",
        ImageView.Greyscale => "-greyscale",
        ImageView.Outline => "-outline-v1",
        _ => FormattableString.Invariant($"-scale{ScaleOf(view)}"),
    };

    /// <summary>
    /// The [side, side] row-major matrix of a scaled view: row i holds the weights of the source pixels that make output
    /// pixel i along one axis; an all-zero row is border (filled with white).
    /// </summary>
    public static float[] ResampleMatrix(int side, double scale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1, nameof(side));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scale, nameof(scale));
        var matrix = new float[side * side];
        var radius = Math.Max(1.0, 1.0 / scale);
        var centre = side / 2.0;
        for (var i = 0; i < side; i++)
        {
            // The output pixel's centre in source coordinates (pixel j spans [j, j + 1)).
            var u = (i + 0.5 - centre) / scale + centre;
            if (u < 0 || u > side) continue;
            var first = Math.Max(0, (int)Math.Floor(u - radius - 0.5));
            var last = Math.Min(side - 1, (int)Math.Ceiling(u + radius - 0.5));
            var weights = new double[last - first + 1];
            for (var j = first; j <= last; j++) weights[j - first] = Math.Max(0, 1 - Math.Abs(j + 0.5 - u) / radius);
            var sum = weights.Sum();
            if (sum <= 0) continue;
            for (var j = first; j <= last; j++) matrix[i * side + j] = (float)(weights[j - first] / sum);
        }

        return matrix;
    }

    /// <summary>The row sums of <see cref="ResampleMatrix"/>: 1 where the output is content, 0 where it is border.</summary>
    public static float[] RowSums(float[] matrix, int side)
    {
        var sums = new float[side];
        for (var i = 0; i < side; i++)
        {
            double sum = 0;
            for (var j = 0; j < side; j++) sum += matrix[i * side + j];
            sums[i] = (float)sum;
        }

        return sums;
    }

    /// <summary>
    /// Turns a fitted CHW tensor into <paramref name="view"/> of it, in place. <paramref name="white"/> is the value of a
    /// white pixel in each channel, after the backbone's pixel scaling (what the border of a shrunk view becomes), and
    /// <paramref name="black"/> that of a black one (needed by the style views only, <see cref="ImageStyleViews"/>).
    /// </summary>
    public static void Apply(ImageView view, Span<float> chw, int side, ReadOnlySpan<float> white, ReadOnlySpan<float> black = default)
    {
        if (chw.Length != 3 * side * side)
            throw new ArgumentException($"Need 3 x {side} x {side} floats, got {chw.Length}.", nameof(chw));
        if (view is ImageView.Greyscale or ImageView.Outline)
        {
            if (black.Length != 3) throw new ArgumentException("A style view needs the value of black per channel.", nameof(black));
            if (view == ImageView.Greyscale) ImageStyleViews.Greyscale(chw, side, white, black);
            else ImageStyleViews.Outline(chw, side, white, black);
            return;
        }

        if (view == ImageView.Mirrored)
        {
            for (var row = 0; row < chw.Length; row += side) chw.Slice(row, side).Reverse();
            return;
        }

        if (!IsScaled(view)) return;
        var resample = Resampler.For(side, ScaleOf(view));
        var plane = side * side;
        var rows = new float[plane];
        for (var c = 0; c < 3; c++) resample.ApplyToPlane(chw.Slice(c * plane, plane), rows, white[c]);
    }

    /// <summary>The sparse form of one <see cref="ResampleMatrix"/> (a tent filter touches a few pixels per row), cached.</summary>
    private sealed class Resampler
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, double), Resampler> Cache = new();
        private readonly int _side;
        private readonly int[] _first;
        private readonly float[][] _weights;
        private readonly float[] _sums;

        private Resampler(int side, double scale)
        {
            _side = side;
            var matrix = ResampleMatrix(side, scale);
            _sums = RowSums(matrix, side);
            _first = new int[side];
            _weights = new float[side][];
            for (var i = 0; i < side; i++)
            {
                var row = matrix.AsSpan(i * side, side);
                var first = row.IndexOfAnyExcept(0f);
                if (first < 0)
                {
                    _weights[i] = [];
                    continue;
                }

                var last = row.LastIndexOfAnyExcept(0f);
                _first[i] = first;
                _weights[i] = row[first..(last + 1)].ToArray();
            }
        }

        public static Resampler For(int side, double scale) => Cache.GetOrAdd((side, scale), key => new Resampler(key.Item1, key.Item2));

        /// <summary>out = A · X · Aᵀ + white · (1 − a·aᵀ), written back into <paramref name="plane"/>.</summary>
        public void ApplyToPlane(Span<float> plane, float[] scratch, float white)
        {
            var side = _side;
            // Vertical pass: scratch[i, x] = Σ_j A[i, j] · X[j, x].
            for (var i = 0; i < side; i++)
            {
                var target = scratch.AsSpan(i * side, side);
                target.Clear();
                var weights = _weights[i];
                for (var k = 0; k < weights.Length; k++)
                {
                    var source = plane.Slice((_first[i] + k) * side, side);
                    var w = weights[k];
                    for (var x = 0; x < side; x++) target[x] += w * source[x];
                }
            }

            // Horizontal pass: out[i, y] = Σ_j scratch[i, j] · A[y, j], plus the white border.
            for (var i = 0; i < side; i++)
            {
                var source = scratch.AsSpan(i * side, side);
                var target = plane.Slice(i * side, side);
                for (var y = 0; y < side; y++)
                {
                    var weights = _weights[y];
                    var first = _first[y];
                    float sum = 0;
                    for (var k = 0; k < weights.Length; k++) sum += weights[k] * source[first + k];
                    target[y] = sum + white * (1 - _sums[i] * _sums[y]);
                }
            }
        }
    }
}
