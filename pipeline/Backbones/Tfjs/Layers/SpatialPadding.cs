namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// Keras' "valid" and "same" padding along one spatial dimension, as explicit pads. ONNX's auto_pad SAME_UPPER would
/// agree for convolutions, but explicit pads make the arithmetic visible and testable and cover pooling too.
/// </summary>
internal static class SpatialPadding
{
    /// <summary>
    /// TensorFlow's SAME rule: the output is ceil(input / stride) and the padding needed to get there is split with
    /// the smaller half first, so an odd total puts the extra cell at the end (bottom or right).
    /// </summary>
    public static PaddedExtent Same(int input, int kernel, int stride, int dilation = 1)
    {
        CheckWindow(input, kernel, stride, dilation);
        var output = (input + stride - 1) / stride;
        var effectiveKernel = (kernel - 1) * dilation + 1;
        var total = Math.Max((output - 1) * stride + effectiveKernel - input, 0);
        var begin = total / 2;
        return new PaddedExtent(begin, total - begin, output);
    }

    /// <summary>No padding: the window must fit, and partial windows at the end are dropped.</summary>
    public static PaddedExtent Valid(int input, int kernel, int stride, int dilation = 1)
    {
        CheckWindow(input, kernel, stride, dilation);
        var effectiveKernel = (kernel - 1) * dilation + 1;
        if (input < effectiveKernel)
        {
            throw new ArgumentException(
                $"A window of {effectiveKernel} does not fit in an input of {input} with 'valid' padding.");
        }

        return new PaddedExtent(0, 0, (input - effectiveKernel) / stride + 1);
    }

    /// <summary>Applies the Keras padding mode by name ("valid" or "same").</summary>
    public static PaddedExtent For(string padding, int input, int kernel, int stride, int dilation = 1) => padding switch
    {
        "same" => Same(input, kernel, stride, dilation),
        "valid" => Valid(input, kernel, stride, dilation),
        _ => throw new NotSupportedException($"Padding '{padding}' is not supported; expected 'valid' or 'same'."),
    };

    private static void CheckWindow(int input, int kernel, int stride, int dilation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(input);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
    }
}
