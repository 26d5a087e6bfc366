namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>
/// A Keras layer's output once lowered: the ONNX value holding it (NCHW, batch dynamic) and its static size, which
/// TensorFlow's SAME padding needs because its pads depend on the input size.
/// </summary>
internal sealed record FeatureMap(string Value, int Channels, int Height, int Width)
{
    public string Describe() => $"[{Height}x{Width}x{Channels}]";
}
