using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Backbones.Tfjs;
using Xunit;

namespace Pipeline.Tests.Backbones;

[Trait("Kind", "Unit")]
public sealed class TfjsToOnnxConverterTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("tfjs-converter-");
    private readonly TfjsToOnnxConverter converter = new();

    private string OnnxPath => Path.Combine(scratch.FullName, "features.onnx");

    [Fact]
    public void Unknown_layer_type_anywhere_in_the_model_fails_naming_the_layer_and_its_type()
    {
        // The unknown layer is not on the tap's path: an unreadable model is rejected as a whole.
        var modelJson = new KerasModelFile()
            .Input("image", 8, 8)
            .Layer("relu", "ReLU", new { }, "image")
            .Layer("mystery", "SeparableConv2D", new { filters = 4 }, "relu")
            .Save(scratch.FullName, "mystery");

        var error = Assert.Throws<NotSupportedException>(() =>
            converter.Convert(modelJson, new TfjsConversionOptions { Taps = ["relu"] }, OnnxPath));

        Assert.Contains("'mystery'", error.Message);
        Assert.Contains("'SeparableConv2D'", error.Message);
        Assert.False(File.Exists(OnnxPath));
    }

    [Fact]
    public void Unknown_tap_fails_naming_the_closest_layer_names()
    {
        var modelJson = TwoBlockModel();

        var error = Assert.Throws<ArgumentException>(() =>
            converter.Convert(modelJson, new TfjsConversionOptions { Taps = ["block_2_ad"] }, OnnxPath));

        Assert.Contains("'block_2_ad'", error.Message);
        Assert.Contains("block_2_add", error.Message);
        Assert.Contains("block_1_add", error.Message);
        Assert.False(File.Exists(OnnxPath));
    }

    [Fact]
    public void Tap_inside_the_classifier_head_is_refused()
    {
        var modelJson = new KerasModelFile()
            .Input("image", 4, 4)
            .Layer("flatten", "Flatten", new { }, "image")
            .Layer("dense", "Dense", new { units = 2 }, "flatten")
            .Save(scratch.FullName, "dense");

        var error = Assert.Throws<NotSupportedException>(() =>
            converter.Convert(modelJson, new TfjsConversionOptions { Taps = ["dense"] }, OnnxPath));

        Assert.Contains("classifier head", error.Message);
    }

    [Fact]
    public void Options_without_taps_are_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            converter.Convert(TwoBlockModel(), new TfjsConversionOptions { Taps = [] }, OnnxPath));

        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void Feature_vector_lays_taps_out_in_order_with_average_then_max_per_tap()
    {
        var modelJson = TwoBlockModel();

        var average = converter.Convert(modelJson,
            new TfjsConversionOptions { Taps = ["block_2_add", "block_1_add"] }, OnnxPath);
        var both = converter.Convert(modelJson,
            new TfjsConversionOptions { Taps = ["block_2_add", "block_1_add"], Pooling = TapPooling.AverageAndMax, InputSize = 10 },
            OnnxPath);

        Assert.Equal(8, average.InputSize);
        Assert.Equal([new TapSlice("block_2_add", 0, 3), new TapSlice("block_1_add", 3, 3)], average.Taps);
        Assert.Equal(6, average.FeatureLength);
        Assert.Equal(10, both.InputSize);
        Assert.Equal([new TapSlice("block_2_add", 0, 6), new TapSlice("block_1_add", 6, 6)], both.Taps);
        Assert.Equal(12, both.FeatureLength);
    }

    [Fact]
    public void Converted_model_keeps_only_the_layers_the_taps_need_and_computes_them()
    {
        var modelJson = TwoBlockModel();

        converter.Convert(modelJson, new TfjsConversionOptions { Taps = ["block_1_add"] }, OnnxPath);

        var onnx = ModelProto.Parser.ParseFrom(File.ReadAllBytes(OnnxPath));
        var nodes = onnx.Graph.Node.Select(node => node.Name).ToList();
        Assert.Contains("relu", nodes);
        Assert.Contains("block_1_add", nodes);
        Assert.DoesNotContain(nodes, name => name.StartsWith("relu6") || name.StartsWith("block_2") ||
            name.StartsWith("flatten") || name.StartsWith("dense"));
        Assert.Equal(TfjsToOnnxConverter.OpsetVersion, onnx.OpsetImport.Single().Version);

        using var session = new InferenceSession(OnnxPath);
        var features = Run(session, [[1f, 2f, 3f]]);
        // block_1_add = relu(x) + x on a 1-pixel-wide constant image: 2x for positive x.
        Assert.Equal([2f, 4f, 6f], features[0]);
    }

    [Theory]
    // ReLU(max_value 4, negative_slope 0.1, threshold 0.5): slope * (x - threshold) below the threshold, x up to the
    // maximum, the maximum above it.
    [InlineData(-2f, -0.25f)]
    [InlineData(0.3f, -0.02f)]
    [InlineData(0.5f, 0.5f)]
    [InlineData(3f, 3f)]
    [InlineData(9f, 4f)]
    public void Relu_with_threshold_negative_slope_and_maximum_follows_the_keras_formula(float x, float expected)
    {
        var modelJson = new KerasModelFile()
            .Input("image", 1, 1)
            .Layer("relu", "ReLU", new { max_value = 4.0, negative_slope = 0.1, threshold = 0.5 }, "image")
            .Save(scratch.FullName, "relu");
        converter.Convert(modelJson, new TfjsConversionOptions { Taps = ["relu"] }, OnnxPath);

        using var session = new InferenceSession(OnnxPath);
        var features = Run(session, [[x, x, x]]);

        Assert.All(features[0], value => Assert.Equal(expected, value, tolerance: 1e-6));
    }

    public void Dispose() => scratch.Delete(recursive: true);

    // image -> relu -> block_1_add(relu, image) -> relu6 -> block_2_add(relu6, block_1_add) -> flatten -> dense.
    private string TwoBlockModel() => new KerasModelFile()
        .Input("image", 8, 8)
        .Layer("relu", "ReLU", new { }, "image")
        .Layer("block_1_add", "Add", new { }, "relu", "image")
        .Layer("relu6", "ReLU", new { max_value = 6.0 }, "block_1_add")
        .Layer("block_2_add", "Add", new { }, "relu6", "block_1_add")
        .Layer("flatten", "Flatten", new { }, "block_2_add")
        .Layer("dense", "Dense", new { units = 2 }, "flatten")
        .Save(scratch.FullName, "dense");

    // Feeds constant images (one RGB value per sample) of the session's input size and returns each sample's features.
    private static float[][] Run(InferenceSession session, float[][] rgbPerSample)
    {
        var size = session.InputMetadata[TfjsToOnnxConverter.InputName].Dimensions[2];
        var input = new DenseTensor<float>([rgbPerSample.Length, 3, size, size]);
        for (var sample = 0; sample < rgbPerSample.Length; sample++)
        {
            for (var channel = 0; channel < 3; channel++)
            {
                for (var y = 0; y < size; y++)
                {
                    for (var x = 0; x < size; x++)
                    {
                        input[sample, channel, y, x] = rgbPerSample[sample][channel];
                    }
                }
            }
        }

        using var results = session.Run([NamedOnnxValue.CreateFromTensor(TfjsToOnnxConverter.InputName, input)]);
        var features = results[0].AsTensor<float>().ToArray();
        var length = features.Length / rgbPerSample.Length;
        return Enumerable.Range(0, rgbPerSample.Length).Select(s => features[(s * length)..((s + 1) * length)]).ToArray();
    }
}
