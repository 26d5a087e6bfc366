namespace Pipeline.Tests.Backbones;

/// <summary>
/// A deterministic batch of smooth test images with some structure (waves, a ramp and a soft-edged disc), values in
/// [-1, 1] like Keras "tf"-mode preprocessing, each sample different. Held both as NCHW (ONNX) and NHWC (TF.js).
/// </summary>
internal sealed class SyntheticImageBatch
{
    public SyntheticImageBatch(int count, int size)
    {
        Count = count;
        Size = size;
        Nchw = new float[count * 3 * size * size];
        Nhwc = new float[Nchw.Length];
        for (var sample = 0; sample < count; sample++)
        {
            for (var y = 0; y < size; y++)
            {
                for (var x = 0; x < size; x++)
                {
                    for (var channel = 0; channel < 3; channel++)
                    {
                        var value = Pixel(sample, channel, (x + 0.5) / size, (y + 0.5) / size);
                        Nchw[((sample * 3 + channel) * size + y) * size + x] = value;
                        Nhwc[((sample * size + y) * size + x) * 3 + channel] = value;
                    }
                }
            }
        }
    }

    public int Count { get; }

    public int Size { get; }

    public float[] Nchw { get; }

    public float[] Nhwc { get; }

    private static float Pixel(int sample, int channel, double u, double v)
    {
        var frequency = 1.5 + sample + 0.5 * channel;
        var wave = Math.Sin(2 * Math.PI * (frequency * u + 0.25 * sample)) * Math.Cos(2 * Math.PI * (1 + channel) * v);
        var ramp = (u - v) * (sample % 2 == 0 ? 1 : -1);
        var (cx, cy) = (0.3 + 0.4 * (sample % 2), 0.45);
        var distance = Math.Sqrt((u - cx) * (u - cx) + (v - cy) * (v - cy));
        var disc = Math.Tanh((0.2 - distance) * 40);
        return (float)Math.Clamp(0.5 * wave + 0.25 * ramp + 0.3 * disc * (channel == 1 ? -1 : 1), -1, 1);
    }
}
