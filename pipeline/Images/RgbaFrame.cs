using System.Runtime.InteropServices;
using SkiaSharp;

namespace Pipeline.Images;

/// <summary>
/// A pinned, managed 4-bytes-per-pixel (R, G, B, A) buffer that Skia can decode into and resize from while our code
/// reads it as a span. Managed (rather than Skia-allocated) so the pixels are visible to the GC's accounting and no
/// unsafe code is needed; pinned for the frame's lifetime because Skia holds raw pointers into it.
/// </summary>
internal sealed class RgbaFrame : IDisposable
{
    private readonly byte[] _pixels;
    private GCHandle _pin;

    public RgbaFrame(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long bytes = 4L * width * height;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, Array.MaxLength, nameof(width));
        Width = width;
        Height = height;
        _pixels = GC.AllocateUninitializedArray<byte>((int)bytes);
        _pin = GCHandle.Alloc(_pixels, GCHandleType.Pinned);
    }

    public int Width { get; }

    public int Height { get; }

    public int RowBytes => Width * 4;

    public Span<byte> Pixels => _pixels;

    public IntPtr Address => _pin.AddrOfPinnedObject();

    /// <summary>Straight (unpremultiplied) alpha: what decoders write before <see cref="AlphaFlattener"/> runs.</summary>
    public SKImageInfo UnpremulInfo => new(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);

    /// <summary>A view for Skia once every alpha is 255.</summary>
    public SKPixmap OpaquePixmap() => new(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque), Address, RowBytes);

    public void Fill(RgbColor color)
    {
        uint packed = Pack(color);
        MemoryMarshal.Cast<byte, uint>(_pixels.AsSpan()).Fill(packed);
    }

    /// <summary>The colour as one little-endian RGBA word with alpha 255.</summary>
    public static uint Pack(RgbColor color) => color.R | ((uint)color.G << 8) | ((uint)color.B << 16) | 0xFF000000u;

    public void Dispose()
    {
        if (_pin.IsAllocated)
        {
            _pin.Free();
        }
    }
}
