namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Reorders convolution kernels from Keras' channels-last layout to ONNX's.</summary>
internal static class KernelLayout
{
    /// <summary>[kh, kw, in, out] (Keras) to [out, in, kh, kw] (ONNX Conv weight).</summary>
    public static float[] KerasConvToOnnx(ReadOnlySpan<float> kernel, int kh, int kw, int inputs, int outputs)
    {
        if (kernel.Length != kh * kw * inputs * outputs)
        {
            throw new ArgumentException($"A [{kh}, {kw}, {inputs}, {outputs}] kernel needs {kh * kw * inputs * outputs} values, got {kernel.Length}.");
        }

        var onnx = new float[kernel.Length];
        for (var y = 0; y < kh; y++)
        {
            for (var x = 0; x < kw; x++)
            {
                for (var i = 0; i < inputs; i++)
                {
                    var source = ((y * kw + x) * inputs + i) * outputs;
                    for (var o = 0; o < outputs; o++)
                    {
                        onnx[((o * inputs + i) * kh + y) * kw + x] = kernel[source + o];
                    }
                }
            }
        }

        return onnx;
    }
}
