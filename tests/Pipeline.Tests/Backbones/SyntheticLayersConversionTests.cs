using Pipeline.Backbones.Tfjs;
using Xunit;
using Xunit.Abstractions;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// Layer semantics the nsfwjs backbones never exercise (asymmetric SAME padding, stride 2 with SAME, depth
/// multipliers, dilation, conv biases and activations, BatchNormalization without gamma or beta, SAME max and
/// average pooling, softmax, Sequential files), checked against TensorFlow.js on small random models.
/// </summary>
[Collection(NodeBackedTests.Name)]
[Trait("Kind", "Integration")]
public sealed class SyntheticLayersConversionTests(ITestOutputHelper output) : IDisposable
{
    private const double Tolerance = 1e-4;
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("synthetic-tfjs-");

    [Fact]
    public async Task Functional_model_with_every_supported_layer_type_matches_tensorflow_js()
    {
        var model = new KerasModelFile()
            .Input("image", 17, 17)
            // 17x17 padded to 20x18: SAME with stride 2 then needs one extra row and column at the end only.
            .Layer("pad", "ZeroPadding2D", new { padding = new[] { new[] { 1, 2 }, new[] { 0, 1 } } }, "image")
            .Layer("conv_same_s2", "Conv2D", Conv(filters: 8, kernel: 3, stride: 2, "same", "tanh", bias: true), "pad")
            .RandomWeight("conv_same_s2/kernel", [3, 3, 3, 8])
            .RandomWeight("conv_same_s2/bias", [8], spread: 0.2)
            .Layer("bn_without_gamma", "BatchNormalization", new { axis = -1, epsilon = 0.01, center = true, scale = false }, "conv_same_s2")
            .RandomWeight("bn_without_gamma/beta", [8], spread: 3)
            .RandomWeight("bn_without_gamma/moving_mean", [8], spread: 0.3)
            .RandomWeight("bn_without_gamma/moving_variance", [8], spread: 0.1, offset: 0.2)
            .Layer("relu6", "ReLU", new { max_value = 6.0, negative_slope = 0.0, threshold = 0.0 }, "bn_without_gamma")
            // 10x9 with stride 2: rows need one cell of padding (at the end), columns two (one each side).
            .Layer("dw_same_s2", "DepthwiseConv2D", new
            {
                kernel_size = new[] { 3, 3 }, strides = new[] { 2, 2 }, padding = "same", depth_multiplier = 2,
                activation = "sigmoid", use_bias = true, data_format = "channels_last", dilation_rate = new[] { 1, 1 },
            }, "relu6")
            .RandomWeight("dw_same_s2/depthwise_kernel", [3, 3, 8, 2])
            .RandomWeight("dw_same_s2/bias", [16], spread: 0.2)
            .Layer("dilated", "Conv2D", Conv(filters: 12, kernel: 3, stride: 1, "same", "relu", bias: false, dilation: 2), "dw_same_s2")
            .RandomWeight("dilated/kernel", [3, 3, 16, 12])
            .Layer("max_same", "MaxPooling2D", Pool(size: 2, stride: 2, "same"), "dilated")
            .Layer("avg_same", "AveragePooling2D", Pool(size: 3, stride: 2, "same"), "dilated")
            .Layer("concat", "Concatenate", new { axis = -1 }, "max_same", "avg_same")
            .Layer("bn_without_beta", "BatchNormalization", new { axis = 3, epsilon = 0.001, center = false, scale = true }, "concat")
            .RandomWeight("bn_without_beta/gamma", [24], spread: 0.5, offset: 1)
            .RandomWeight("bn_without_beta/moving_mean", [24], spread: 0.3)
            .RandomWeight("bn_without_beta/moving_variance", [24], spread: 0.1, offset: 0.3)
            .Layer("softmax", "Activation", new { activation = "softmax" }, "bn_without_beta")
            .Layer("project", "Conv2D", Conv(filters: 24, kernel: 1, stride: 1, "valid", "linear", bias: true), "concat")
            .RandomWeight("project/kernel", [1, 1, 24, 24])
            .RandomWeight("project/bias", [24], spread: 0.2)
            .Layer("residual", "Add", new { }, "softmax", "project")
            .Layer("conv_valid_s2", "Conv2D", Conv(filters: 6, kernel: 3, stride: 2, "valid", "relu6", bias: true), "relu6")
            .RandomWeight("conv_valid_s2/kernel", [3, 3, 8, 6], spread: 1)
            .RandomWeight("conv_valid_s2/bias", [6], spread: 0.5)
            .Layer("avg_valid", "AveragePooling2D", Pool(size: 2, stride: 1, "valid"), "conv_valid_s2")
            .Layer("dropout", "Dropout", new { rate = 0.5 }, "avg_valid");
        var modelJson = model.Save(scratch.FullName, "residual", "dropout");

        await AssertMatchesTensorflowJs(modelJson, inputSize: 17,
            ["relu6", "dw_same_s2", "max_same", "avg_same", "residual", "avg_valid", "dropout"]);
    }

    [Fact]
    public async Task Sequential_model_matches_tensorflow_js()
    {
        var model = new KerasModelFile()
            .Input("image", 12, 12)
            .Layer("conv", "Conv2D", Conv(filters: 4, kernel: 3, stride: 1, "valid", "relu", bias: true), "image")
            .RandomWeight("conv/kernel", [3, 3, 3, 4])
            .RandomWeight("conv/bias", [4], spread: 0.2)
            .Layer("pool", "MaxPooling2D", Pool(size: 2, stride: 2, "valid"), "conv");
        var modelJson = model.SaveSequential(scratch.FullName);

        await AssertMatchesTensorflowJs(modelJson, inputSize: 12, ["conv", "pool"]);
    }

    public void Dispose() => scratch.Delete(recursive: true);

    private async Task AssertMatchesTensorflowJs(string modelJson, int inputSize, string[] taps)
    {
        var onnxPath = Path.Combine(scratch.FullName, "features.onnx");
        var converted = new TfjsToOnnxConverter().Convert(modelJson,
            new TfjsConversionOptions { Taps = taps, Pooling = TapPooling.AverageAndMax }, onnxPath);
        Assert.Equal(inputSize, converted.InputSize);

        var images = new SyntheticImageBatch(count: 2, size: inputSize);
        var actual = OnnxFeatureRunner.Run(onnxPath, images, converted.FeatureLength);
        var expected = await TfjsReference.FeaturesAsync(modelJson, images, taps, TapPooling.AverageAndMax,
            CancellationToken.None);

        // Per tap, so that a wrong layer is named rather than diluted by the others.
        foreach (var slice in converted.Taps)
        {
            var errors = FeatureAgreement.RelativeL2Errors(
                Slice(actual, converted.FeatureLength, slice), Slice(expected, converted.FeatureLength, slice), images.Count);
            output.WriteLine($"{slice.Layer}: {string.Join(", ", errors.Select(e => e.ToString("E2")))}");
            Assert.All(errors, error => Assert.True(error < Tolerance, $"tap {slice.Layer}: relative L2 error {error:E3}"));
        }
    }

    private static float[] Slice(float[] batch, int featureLength, TapSlice slice) =>
        Enumerable.Range(0, batch.Length / featureLength)
            .SelectMany(sample => batch.AsSpan(sample * featureLength + slice.Offset, slice.Length).ToArray())
            .ToArray();

    private static object Conv(int filters, int kernel, int stride, string padding, string activation, bool bias,
        int dilation = 1) => new
    {
        filters,
        kernel_size = new[] { kernel, kernel },
        strides = new[] { stride, stride },
        padding,
        data_format = "channels_last",
        dilation_rate = new[] { dilation, dilation },
        activation,
        use_bias = bias,
    };

    private static object Pool(int size, int stride, string padding) => new
    {
        pool_size = new[] { size, size },
        strides = new[] { stride, stride },
        padding,
        data_format = "channels_last",
    };
}
