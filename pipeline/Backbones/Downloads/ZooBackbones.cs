using Pipeline.Images;

namespace Pipeline.Backbones.Downloads;

/// <summary>
/// The ONNX model zoo backbones that can be downloaded (github.com/onnx/models,
/// <c>validated/vision/classification/resnet</c>): MXNet Gluon ResNet v2 models exported to ONNX, opset 7.
/// </summary>
/// <remarks>
/// <para>
/// Checksums, sizes, the input name and the feature tensors come from the zoo's own <c>ONNX_HUB_MANIFEST.json</c>
/// (<c>model_sha</c>, <c>model_bytes</c>, <c>io_ports</c>, <c>extra_ports.features</c>); the checksums also match the
/// Git LFS pointers of the .onnx files. The README there gives the preprocessing: RGB, shorter side to 256, centre
/// crop 224, then <c>(x - 255 * mean) / (255 * std)</c> with the ImageNet statistics, NCHW.
/// </para>
/// <para>
/// URLs name a commit instead of <c>main</c> (the form the zoo's hub client uses for pinned revisions): the zoo
/// repository is deprecated, and a commit keeps the URL and its checksum valid as long as GitHub serves it.
/// </para>
/// </remarks>
public static class ZooBackbones
{
    private const string ZooCommit = "b1eeaa1ac722dcc1cd1a8284bde34393dab61c3d";
    private const string ResnetFolder = "validated/vision/classification/resnet/model";

    public static DownloadableBackbone ResnetV250 { get; } = new(
        nameof(ResnetV250),
        ZooUrl("resnet50-v2-7.onnx"),
        Sha256: "79102261eb6e5fd7af5d27f41316293e388c5cb691e5d25bfb035c4f64fefe31",
        SizeBytes: 102_442_452,
        InputName: "data",
        InputSize: 224,
        PixelScaling.ImageNetMeanStd,
        // Gluon numbers its ResNet v2 instances as the zoo exported them: resnetv24 is the 50-layer one.
        FeatureTensor: "resnetv24_pool1_fwd",
        FeatureLength: 2048);

    public static DownloadableBackbone ResnetV2101 { get; } = new(
        nameof(ResnetV2101),
        ZooUrl("resnet101-v2-7.onnx"),
        Sha256: "3a0a819ea0953fb4700b0d98e43540aeee253e5b4c503c552b0c7979fc67767d",
        SizeBytes: 178_682_301,
        InputName: "data",
        InputSize: 224,
        PixelScaling.ImageNetMeanStd,
        FeatureTensor: "resnetv25_pool1_fwd",
        FeatureLength: 2048);

    /// <summary>Every downloadable backbone, in catalog order.</summary>
    public static IReadOnlyList<DownloadableBackbone> All { get; } = [ResnetV250, ResnetV2101];

    /// <summary>The backbone with that name (ignoring case), or null.</summary>
    public static DownloadableBackbone? Find(string name) =>
        All.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));

    private static Uri ZooUrl(string fileName) =>
        new($"https://media.githubusercontent.com/media/onnx/models/{ZooCommit}/{ResnetFolder}/{fileName}");
}
