using Pipeline.Backbones;
using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Tfjs;
using Pipeline.Datasets;
using Pipeline.FineTuning.Tuning;

namespace Pipeline.FineTuning.Tests;

/// <summary>
/// Features of images from a graph written by the product's ResNet18 rewrite, run on ONNX Runtime with the product's
/// decoding and letterboxing: the reference the torch stage is compared with.
/// </summary>
internal static class PackageFeatures
{
    /// <summary>The package graph (or a tuned copy of it) rewritten to the given taps, and each image's features.</summary>
    public static async Task<(IReadOnlyList<BackboneTap> Taps, IReadOnlyList<float[]> Features)> ComputeAsync(
        ResNet18PackageFiles package, IReadOnlyList<string> taps, TapPooling pooling, IReadOnlyList<LabelledImage> images)
    {
        var onnx = Path.Combine(ClipArtFolder.NewTempFolder("reference"), "features.onnx");
        var slices = ResNet18GraphRewriter.Rewrite(package, taps, pooling, onnx);
        return (slices, await RunAsync(onnx, slices, pooling, images));
    }

    /// <summary>Runs an extractor taking [N, 3, 224, 224] RGB 0-255 (letterboxed) to [N, F].</summary>
    public static async Task<IReadOnlyList<float[]>> RunAsync(string onnx, IReadOnlyList<BackboneTap> taps, TapPooling pooling,
        IReadOnlyList<LabelledImage> images)
    {
        using var featurizer = RewrittenResNet18.Featurizer(onnx, taps, pooling, "Reference");
        var set = await featurizer.FeaturizeAsync(images, cache: null);
        Assert.Empty(set.Failed);
        return images.Select(i => set.BySha256[i.Sha256]).ToList();
    }

    public static async Task<IReadOnlyList<LabelledImage>> ClipArtAsync(string name, IReadOnlyList<string> categories, int perLabel)
    {
        var scan = await LabelledFolderScanner.ScanUsableAsync(ClipArtFolder.Create(name, categories, perLabel));
        return scan.Images;
    }

    /// <summary>The largest absolute difference, relative to the largest absolute value of <paramref name="expected"/>.</summary>
    public static double RelativeError(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double largest = 0, difference = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs(expected[i]));
            difference = Math.Max(difference, Math.Abs(expected[i] - actual[i]));
        }

        return difference / Math.Max(largest, 1e-12);
    }
}
