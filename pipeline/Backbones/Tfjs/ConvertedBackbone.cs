namespace Pipeline.Backbones.Tfjs;

/// <summary>
/// What <see cref="TfjsToOnnxConverter"/> wrote: an ONNX model with input "input" float32 [batch, 3, InputSize,
/// InputSize] (NCHW) and output "features" float32 [batch, FeatureLength].
/// </summary>
/// <param name="InputSize">Side of the square input image in pixels.</param>
/// <param name="FeatureLength">Length of one sample's feature vector.</param>
/// <param name="Taps">The slices of the feature vector, in tap order.</param>
public sealed record ConvertedBackbone(int InputSize, int FeatureLength, IReadOnlyList<TapSlice> Taps);
