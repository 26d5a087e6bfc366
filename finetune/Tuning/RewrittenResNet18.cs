using Pipeline.Backbones;
using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Tfjs;
using Pipeline.Features;
using Pipeline.Images;

namespace Pipeline.FineTuning.Tuning;

/// <summary>
/// A featuriser for a graph written by <see cref="ResNet18GraphRewriter"/> (input RGB 0-255, its margin trimmed and letterboxed onto white,
/// as the built-in Resnet18 reads images), with whatever taps and pooling it was written with.
/// </summary>
internal static class RewrittenResNet18
{
    public static ImageFeaturizer Featurizer(string onnx, IReadOnlyList<BackboneTap> taps, TapPooling pooling, string name) =>
        new(new PreparedBackbone(new BackboneDescriptor
        {
            Name = name,
            InputSize = ResNet18GraphRewriter.InputSize,
            Scaling = PixelScaling.Raw,
            FeatureLength = taps.Sum(t => t.Length),
            Taps = taps,
            Sha256 = "",
            Source = ResNet18PackageFiles.SourceDescription,
            Pooling = pooling,
            Resize = BackboneCatalog.TrimmedResize,
        }, onnx));
}
