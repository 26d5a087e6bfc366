using Pipeline.Images;
using SkiaSharp;

namespace Pipeline.Tests.Images;

/// <summary>
/// The obvious, slow definition of "decode, composite onto the background, average factor x factor blocks", built on
/// Skia's whole-image decode: what the streaming decoders must reproduce.
/// </summary>
internal static class ReferenceReducer
{
    public static byte[] Reduce(byte[] encoded, int factor, RgbColor background, out int width, out int height)
    {
        using var codec = SKCodec.Create(SKData.CreateCopy(encoded));
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidOperationException($"Reference decode failed: {result}");
        }

        var pixels = bitmap.GetPixelSpan().ToArray();
        int w = info.Width, h = info.Height;
        width = (w + factor - 1) / factor;
        height = (h + factor - 1) / factor;
        var output = new byte[width * height * 4];
        byte[] bg = [background.R, background.G, background.B];
        for (int by = 0; by < height; by++)
        {
            for (int bx = 0; bx < width; bx++)
            {
                int n = 0;
                var sums = new int[3];
                for (int y = by * factor; y < Math.Min(h, (by + 1) * factor); y++)
                {
                    for (int x = bx * factor; x < Math.Min(w, (bx + 1) * factor); x++)
                    {
                        int i = (y * w + x) * 4;
                        int a = pixels[i + 3];
                        for (int c = 0; c < 3; c++)
                        {
                            sums[c] += (int)Math.Round((pixels[i + c] * a + bg[c] * (255 - a)) / 255.0, MidpointRounding.AwayFromZero);
                        }

                        n++;
                    }
                }

                int o = (by * width + bx) * 4;
                for (int c = 0; c < 3; c++)
                {
                    output[o + c] = (byte)((sums[c] + n / 2) / n);
                }

                output[o + 3] = 255;
            }
        }

        return output;
    }
}
