using Pipeline.Images;

namespace Pipeline.Backbones.Downloads;

/// <summary>
/// A pretrained ONNX classifier that is fetched by URL, pinned by SHA-256, and used as a feature extractor by reading
/// an intermediate tensor instead of its class scores.
/// </summary>
/// <param name="Name">Catalog name, e.g. <c>ResnetV250</c>.</param>
/// <param name="Url">Where the .onnx file is downloaded from.</param>
/// <param name="Sha256">Pinned SHA-256 of the .onnx file, lower-case hex.</param>
/// <param name="SizeBytes">Size of the .onnx file, when published.</param>
/// <param name="InputName">The graph input: float NCHW <c>[N, 3, InputSize, InputSize]</c>.</param>
/// <param name="InputSize">Square input side in pixels.</param>
/// <param name="Scaling">Pixel scaling the weights were trained with.</param>
/// <param name="FeatureTensor">
/// The tensor to read features from: the global average pool in front of the classifier, shaped
/// <c>[N, FeatureLength, 1, 1]</c>. It is not a graph output, so it has to be exposed as one first.
/// </param>
/// <param name="FeatureLength">Values per image in <paramref name="FeatureTensor"/>.</param>
public sealed record DownloadableBackbone(
    string Name,
    Uri Url,
    string Sha256,
    long? SizeBytes,
    string InputName,
    int InputSize,
    PixelScaling Scaling,
    string FeatureTensor,
    int FeatureLength)
{
    /// <summary>The file name the URL ends in, e.g. <c>resnet50-v2-7.onnx</c>.</summary>
    public string FileName => Url.Segments[^1];

    /// <summary>The download of this backbone into <paramref name="directory"/>, under its own file name.</summary>
    public DownloadRequest ToDownloadRequest(string directory) =>
        new(Url, Sha256, Path.Combine(directory, FileName), SizeBytes);
}
