namespace Pipeline.Images;

/// <summary>
/// Shrinks an image by an integer factor while its rows stream past, averaging each factor x factor block (a box
/// filter). This is how images too large to hold are decoded: only one band of sums is kept when rows arrive in
/// order, and the reduced frame is then resized normally. Rows are straight-alpha RGBA and are composited onto the
/// background here, pixel by pixel, so transparency is flattened before any averaging.
/// </summary>
internal sealed class BoxReducer : IDisposable
{
    private readonly int _sourceWidth;
    private readonly int _sourceHeight;
    private readonly int _factor;
    private readonly int _backgroundR;
    private readonly int _backgroundG;
    private readonly int _backgroundB;
    private readonly bool _wholeFrame;
    private readonly uint[] _sums;
    private int _band = -1;
    private bool _handedOver;

    /// <param name="wholeFrame">
    /// Keep sums for every output row, for sources whose rows arrive out of order (interlaced PNG). Otherwise rows
    /// of one band must arrive together, top-down or bottom-up, and only that band's sums are kept.
    /// </param>
    public BoxReducer(int sourceWidth, int sourceHeight, int factor, RgbColor background, bool wholeFrame)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        _sourceWidth = sourceWidth;
        _sourceHeight = sourceHeight;
        _factor = factor;
        _backgroundR = background.R;
        _backgroundG = background.G;
        _backgroundB = background.B;
        _wholeFrame = wholeFrame;
        Output = new RgbaFrame(CeilDiv(sourceWidth, factor), CeilDiv(sourceHeight, factor));
        _sums = new uint[3L * Output.Width * (wholeFrame ? Output.Height : 1)];
    }

    /// <summary>The reduced frame; complete after <see cref="Finish"/>.</summary>
    public RgbaFrame Output { get; }

    /// <summary>
    /// The smallest factor whose reduced frame has at most <paramref name="maxPixels"/> pixels.
    /// </summary>
    public static int FactorFor(long width, long height, long maxPixels)
    {
        int factor = Math.Max(1, (int)Math.Sqrt((double)width * height / maxPixels));
        while ((long)CeilDiv(width, factor) * CeilDiv(height, factor) > maxPixels)
        {
            factor++;
        }

        return factor;
    }

    /// <summary>
    /// Adds source row <paramref name="y"/>: pixel i of <paramref name="rgba"/> lies at x = x0 + i·dx.
    /// </summary>
    public void AddRow(ReadOnlySpan<byte> rgba, int y, int x0 = 0, int dx = 1)
    {
        int band = y / _factor;
        int offset = 0;
        if (_wholeFrame)
        {
            offset = band * Output.Width * 3;
        }
        else if (band != _band)
        {
            if (_band >= 0)
            {
                FlushBand(_band, 0);
            }

            _band = band;
        }

        if (dx == 1 && x0 == 0)
        {
            AddContiguous(rgba, _sums.AsSpan(offset, Output.Width * 3));
        }
        else
        {
            AddSparse(rgba, x0, dx, _sums.AsSpan(offset, Output.Width * 3));
        }
    }

    /// <summary>Writes the remaining averages and hands <see cref="Output"/> over: the caller disposes it from then on.</summary>
    public RgbaFrame Finish()
    {
        if (_wholeFrame)
        {
            for (int band = 0; band < Output.Height; band++)
            {
                FlushBand(band, band * Output.Width * 3);
            }
        }
        else if (_band >= 0)
        {
            FlushBand(_band, 0);
            _band = -1;
        }

        _handedOver = true;
        return Output;
    }

    public void Dispose()
    {
        if (!_handedOver)
        {
            Output.Dispose();
        }
    }

    private void AddContiguous(ReadOnlySpan<byte> rgba, Span<uint> sums)
    {
        int pixels = Math.Min(rgba.Length / 4, _sourceWidth);
        int x = 0;
        int s = 0;
        while (x < pixels)
        {
            int end = Math.Min(x + _factor, pixels);
            uint r = 0, g = 0, b = 0;
            for (; x < end; x++)
            {
                int i = x * 4;
                int a = rgba[i + 3];
                if (a == 255)
                {
                    r += rgba[i];
                    g += rgba[i + 1];
                    b += rgba[i + 2];
                }
                else
                {
                    int inv = 255 - a;
                    r += AlphaFlattener.Blend(rgba[i], _backgroundR, a, inv);
                    g += AlphaFlattener.Blend(rgba[i + 1], _backgroundG, a, inv);
                    b += AlphaFlattener.Blend(rgba[i + 2], _backgroundB, a, inv);
                }
            }

            sums[s] += r;
            sums[s + 1] += g;
            sums[s + 2] += b;
            s += 3;
        }
    }

    private void AddSparse(ReadOnlySpan<byte> rgba, int x0, int dx, Span<uint> sums)
    {
        int pixels = rgba.Length / 4;
        for (int p = 0, x = x0; p < pixels && x < _sourceWidth; p++, x += dx)
        {
            int i = p * 4;
            int a = rgba[i + 3];
            int inv = 255 - a;
            int s = x / _factor * 3;
            sums[s] += AlphaFlattener.Blend(rgba[i], _backgroundR, a, inv);
            sums[s + 1] += AlphaFlattener.Blend(rgba[i + 1], _backgroundG, a, inv);
            sums[s + 2] += AlphaFlattener.Blend(rgba[i + 2], _backgroundB, a, inv);
        }
    }

    private void FlushBand(int band, int offset)
    {
        int rows = Math.Min(_factor, _sourceHeight - band * _factor);
        Span<uint> sums = _sums.AsSpan(offset, Output.Width * 3);
        Span<byte> row = Output.Pixels.Slice(band * Output.RowBytes, Output.RowBytes);
        for (int bx = 0; bx < Output.Width; bx++)
        {
            uint count = (uint)(Math.Min(_factor, _sourceWidth - bx * _factor) * rows);
            uint half = count / 2;
            row[bx * 4] = (byte)((sums[bx * 3] + half) / count);
            row[bx * 4 + 1] = (byte)((sums[bx * 3 + 1] + half) / count);
            row[bx * 4 + 2] = (byte)((sums[bx * 3 + 2] + half) / count);
            row[bx * 4 + 3] = 255;
        }

        sums.Clear();
    }

    private static int CeilDiv(long value, int divisor) => (int)((value + divisor - 1) / divisor);
}
