namespace Pipeline.Backbones.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size, or a named symbol such as "batch".</summary>
internal readonly record struct OnnxDimension(long? Size, string? Symbol)
{
    public static OnnxDimension Fixed(long size) => new(size, null);

    public static OnnxDimension Symbolic(string symbol) => new(null, symbol);
}
