using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace Pipeline.Images.Png;

/// <summary>
/// Decodes a PNG too large to hold, row by row, straight into a <see cref="BoxReducer"/>. Skia 2.88 has no
/// scanline decoder for PNG (StartScanlineDecode answers Unimplemented) and its incremental decoder writes into a
/// full-size buffer, so a 21000x29700 image would need 2.5 GB there. Here memory is two raw rows, one RGBA row and
/// the reduced frame. Interlaced (Adam7) images deliver rows out of order, so they keep sums for the whole reduced
/// frame instead of one band, and are reduced further to stay within the same budget.
/// </summary>
internal static class PngStreamingDecoder
{
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
    [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ];

    /// <summary>
    /// Decodes <paramref name="data"/> reduced by the smallest integer factor that fits
    /// <paramref name="maxPixels"/>, with transparency composited onto <paramref name="background"/>.
    /// </summary>
    public static DecodeOutcome Decode(SKData data, long maxPixels, RgbColor background, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> file = data.AsSpan();
        if (!TryReadChunksBeforeImageData(file, out var header, out var plte, out var trns, out long firstIdat, out string? problem))
        {
            return DecodeOutcome.Corrupt(problem);
        }

        // Whole-frame sums cost 12 bytes per reduced pixel against 4 for a decoded pixel: reduce three times more.
        long budget = header.Interlaced ? Math.Max(1, maxPixels / 3) : maxPixels;
        int factor = BoxReducer.FactorFor(header.Width, header.Height, budget);
        var expander = new PngPixelExpander(header, file[plte], file[trns]);

        using var idat = new PngIdatStream(data, firstIdat);
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        var reducer = new BoxReducer(header.Width, header.Height, factor, background, header.Interlaced);
        try
        {
            var passes = header.Interlaced ? Adam7 : [(0, 0, 1, 1)];
            var rows = new PassRows(header, inflater, expander);
            foreach (var (x0, y0, dx, dy) in passes)
            {
                int width = (header.Width - x0 + dx - 1) / dx;
                int height = (header.Height - y0 + dy - 1) / dy;
                if (width <= 0 || height <= 0)
                {
                    continue; // tiny images skip some Adam7 passes entirely
                }

                rows.StartPass(width);
                for (int row = 0; row < height; row++)
                {
                    if ((row & 63) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    int y = y0 + row * dy;
                    string? failure = rows.Next(out var rgba);
                    if (failure is not null)
                    {
                        reducer.Dispose();
                        string where = header.Interlaced ? $"row {y} of interlaced pass" : $"row {y} of {header.Height}";
                        return DecodeOutcome.Corrupt(idat.Truncated && failure == PassRows.EndOfData
                            ? $"PNG is truncated: image data ends at {where}"
                            : $"PNG image data is corrupt at {where}: {failure}");
                    }

                    reducer.AddRow(rgba, y, x0, dx);
                }
            }

            return DecodeOutcome.Of(reducer.Finish());
        }
        catch (InvalidDataException e)
        {
            reducer.Dispose();
            return DecodeOutcome.Corrupt($"PNG image data is corrupt: {e.Message}");
        }
        catch
        {
            reducer.Dispose();
            throw;
        }
    }

    private static bool TryReadChunksBeforeImageData(
        ReadOnlySpan<byte> file, out PngHeader header, out Range plte, out Range trns, out long firstIdat,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        header = default;
        plte = trns = default;
        firstIdat = 0;
        int position = 8; // after the signature
        bool seenHeader = false;
        while (position + 8 <= file.Length)
        {
            int length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(file[position..]), int.MaxValue);
            ReadOnlySpan<byte> type = file.Slice(position + 4, 4);
            int start = position + 8;
            if (length > file.Length - start)
            {
                break;
            }

            if (!seenHeader)
            {
                if (!type.SequenceEqual("IHDR"u8) || PngHeader.Parse(file.Slice(start, length)) is not { } parsed)
                {
                    problem = "PNG header (IHDR) is missing or invalid";
                    return false;
                }

                header = parsed;
                seenHeader = true;
            }
            else if (type.SequenceEqual("PLTE"u8))
            {
                plte = new Range(start, start + length);
            }
            else if (type.SequenceEqual("tRNS"u8))
            {
                trns = new Range(start, start + length);
            }
            else if (type.SequenceEqual("IDAT"u8))
            {
                if (header.ColorType == PngHeader.Palette && plte.End.Value == 0)
                {
                    problem = "PNG palette (PLTE) is missing";
                    return false;
                }

                firstIdat = position;
                problem = null;
                return true;
            }
            else if (type.SequenceEqual("IEND"u8))
            {
                break;
            }

            position = start + length + 4;
        }

        problem = "PNG is truncated: no image data";
        return false;
    }

    /// <summary>Reads, unfilters and expands the rows of one pass at a time, reusing its buffers.</summary>
    private sealed class PassRows(PngHeader header, Stream inflater, PngPixelExpander expander)
    {
        public const string EndOfData = "image data ends early";

        private readonly byte[] _current = new byte[header.RowBytes(header.Width) + 1];
        private readonly byte[] _previous = new byte[header.RowBytes(header.Width) + 1];
        private readonly byte[] _rgba = expander.IsIdentity ? [] : new byte[header.Width * 4];
        private int _width;
        private int _rowBytes;
        private bool _swapped;

        public void StartPass(int width)
        {
            _width = width;
            _rowBytes = header.RowBytes(width);
            Array.Clear(_previous);
            Array.Clear(_current);
        }

        /// <summary>The next row as RGBA8, or a description of why there is none.</summary>
        public string? Next(out ReadOnlySpan<byte> rgba)
        {
            rgba = default;
            (byte[] current, byte[] previous) = _swapped ? (_previous, _current) : (_current, _previous);
            Span<byte> line = current.AsSpan(0, _rowBytes + 1);
            if (inflater.ReadAtLeast(line, line.Length, throwOnEndOfStream: false) < line.Length)
            {
                return EndOfData;
            }

            if (!PngRowFilter.Unfilter(line[0], line[1..], previous.AsSpan(1, _rowBytes), header.FilterStride))
            {
                return $"unknown filter type {line[0]}";
            }

            _swapped = !_swapped; // this row is the next one's "previous"
            if (expander.IsIdentity)
            {
                rgba = line.Slice(1, _width * 4);
                return null;
            }

            expander.Expand(line[1..], _rgba, _width);
            rgba = _rgba.AsSpan(0, _width * 4);
            return null;
        }
    }
}
