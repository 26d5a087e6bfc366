using System.Diagnostics;
using Pipeline.Backbones.Nsfwjs;
using Pipeline.Backbones.Tfjs;
using Xunit;
using Xunit.Abstractions;

namespace Pipeline.Tests.Backbones;

[Collection(NodeBackedTests.Name)]
[Trait("Kind", "Integration")]
public sealed class NsfwjsBackboneConversionTests(NsfwjsBackboneCache cache, ITestOutputHelper output)
{
    private const double Tolerance = 1e-3;

    [Fact]
    public Task MobileNetV2_onnx_features_match_tensorflow_js_at_every_tap() =>
        ConvertedFeaturesMatchTensorflowJs(NsfwjsBackbone.MobileNetV2,
            ["block_5_add", "block_9_add", "block_12_add", "block_15_add", "out_relu"],
            expectedInputSize: 224, expectedTapChannels: [32, 64, 96, 160, 1280]);

    [Fact]
    public Task InceptionV3_onnx_features_match_tensorflow_js_at_every_tap() =>
        ConvertedFeaturesMatchTensorflowJs(NsfwjsBackbone.InceptionV3,
            ["mixed2", "mixed5", "mixed7", "mixed10"],
            expectedInputSize: 299, expectedTapChannels: [288, 768, 768, 2048]);

    private async Task ConvertedFeaturesMatchTensorflowJs(NsfwjsBackbone backbone, string[] taps,
        int expectedInputSize, int[] expectedTapChannels)
    {
        var timer = Stopwatch.StartNew();
        var modelJson = await cache.ModelJsonAsync(backbone, CancellationToken.None);
        var extracted = timer.Elapsed;

        // AverageAndMax exercises both pools; the average half alone is the Average layout, checked by the slices.
        var onnxPath = Path.Combine(Path.GetDirectoryName(modelJson)!, $"features-{Guid.NewGuid():N}.onnx");
        try
        {
            var converted = new TfjsToOnnxConverter().Convert(modelJson,
                new TfjsConversionOptions { Taps = taps, Pooling = TapPooling.AverageAndMax }, onnxPath);
            var convertedAt = timer.Elapsed;

            Assert.Equal(expectedInputSize, converted.InputSize);
            Assert.Equal(taps, converted.Taps.Select(slice => slice.Layer));
            Assert.Equal(expectedTapChannels.Select(channels => 2 * channels), converted.Taps.Select(slice => slice.Length));
            Assert.Equal(2 * expectedTapChannels.Sum(), converted.FeatureLength);

            var images = new SyntheticImageBatch(count: 2, size: converted.InputSize);
            var actual = OnnxFeatureRunner.Run(onnxPath, images, converted.FeatureLength);
            var ranAt = timer.Elapsed;
            var expected = await TfjsReference.FeaturesAsync(modelJson, images, taps, TapPooling.AverageAndMax,
                CancellationToken.None);

            var errors = FeatureAgreement.RelativeL2Errors(actual, expected, images.Count);
            output.WriteLine(
                $"{backbone}: {converted.FeatureLength} features; relative L2 errors {string.Join(", ", errors.Select(e => e.ToString("E2")))}; " +
                $"extract/cache {extracted.TotalSeconds:F1}s, convert {(convertedAt - extracted).TotalSeconds:F1}s, " +
                $"onnx {(ranAt - convertedAt).TotalSeconds:F1}s, tfjs {(timer.Elapsed - ranAt).TotalSeconds:F1}s");
            Assert.All(errors, error => Assert.True(error < Tolerance, $"relative L2 error {error:E3} >= {Tolerance}"));
            Assert.NotEqual(actual[..converted.FeatureLength], actual[converted.FeatureLength..]);
        }
        finally
        {
            File.Delete(onnxPath);
        }
    }
}
