using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Backbones.Tfjs;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.FineTuning.LastStage;
using Pipeline.Progress;

namespace Pipeline.FineTuning.Tuning;

/// <summary>
/// Runs images through the frozen part of the package ResNet18 (everything up to stage 3) on ONNX Runtime, with the
/// product's own decoding and letterboxing, and returns each image's [256, 14, 14] activations flattened.
/// </summary>
/// <remarks>
/// The extractor is the product's ResNet18 graph rewrite with one tap, stage 3 on a 14 x 14 grid averaged per cell:
/// every cell is one activation, so the output is the map itself in NCHW order. Tuning then runs only the last stage,
/// which is what makes it affordable on two cores.
/// </remarks>
internal sealed class Stage3Activations : IDisposable
{
    public const int Channels = 256;
    public const int Side = 14;
    public const int Length = Channels * Side * Side;

    private readonly ImageFeaturizer _featurizer;

    /// <param name="network">The package's network graph, already read (it is not changed).</param>
    public Stage3Activations(ResNet18PackageFiles package, GraphProto network, string workFolder)
    {
        Directory.CreateDirectory(workFolder);
        var onnx = Path.Combine(workFolder, "resnet18-stage3.onnx");
        var taps = ResNet18GraphRewriter.Rewrite(network, package,
            [$"{LastStageGraph.InputTensor}@{Side}x{Side}"], TapPooling.Average, onnx);
        if (taps.Sum(t => t.Length) != Length)
            throw new InvalidDataException($"The stage-3 extractor returns {taps.Sum(t => t.Length)} values, not {Length}.");
        _featurizer = RewrittenResNet18.Featurizer(onnx, taps, TapPooling.Average, "Resnet18Stage3");
    }

    /// <summary>The activations of one view of every image, by SHA-256; images that fail to decode are left out.</summary>
    public async Task<IReadOnlyDictionary<string, float[]>> ComputeAsync(IReadOnlyList<LabelledImage> images, ImageView view,
        IProgress<ProgressUpdate>? progress, CancellationToken ct)
    {
        var set = await _featurizer.FeaturizeAsync(images, cache: null, view, progress, ct).ConfigureAwait(false);
        return set.BySha256;
    }

    public void Dispose() => _featurizer.Dispose();
}
