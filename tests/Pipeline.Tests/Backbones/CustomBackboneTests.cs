using System.Text.Json;
using Google.Protobuf;
using Pipeline.Backbones;
using Pipeline.Backbones.Onnx;
using Pipeline.Retraining;
using Pipeline.Tests.Images;
using Pipeline.Tests.Support;
using SkiaSharp;

namespace Pipeline.Tests.Backbones;

/// <summary>
/// Bring your own backbone, end to end: an ONNX file and its JSON in <c>&lt;data root&gt;/backbones/custom/</c> make a
/// catalog entry that joins the default set, trains through the same verbs as the built-in ones (grouped folds
/// included) and predicts from the saved model in a separate CLI process.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class CustomBackboneTests
{
    private const string Name = "TinyConvNet";
    private const int InputSize = 32;
    private static readonly Dictionary<string, SKColor> Colours = new()
    {
        ["red"] = new SKColor(200, 40, 40), ["green"] = new SKColor(40, 180, 60), ["blue"] = new SKColor(40, 60, 200),
    };

    [Fact]
    public async Task A_custom_onnx_backbone_with_its_json_trains_and_predicts_end_to_end()
    {
        var dataRoot = RepositoryPaths.NewTempFolder("custom-backbone");
        var custom = Path.Combine(dataRoot, "backbones", "custom");
        Directory.CreateDirectory(custom);
        await File.WriteAllBytesAsync(Path.Combine(custom, "tiny.onnx"), TinyConvNet().ToByteArray());
        await File.WriteAllTextAsync(Path.Combine(custom, "tiny.json"), JsonSerializer.Serialize(new
        {
            name = Name, onnx = "tiny.onnx", inputSize = InputSize, scaling = "ZeroToOne", inputName = "pixels", outputName = "embedding",
        }));
        var data = RepositoryPaths.NewTempFolder("custom-backbone-data");
        // Four "designs" (file-name groups s0..s3) of each colour, four images each.
        foreach (var (label, colour) in Colours)
        {
            Directory.CreateDirectory(Path.Combine(data, label));
            for (var design = 0; design < 4; design++)
                for (var i = 0; i < 4; i++)
                    await File.WriteAllBytesAsync(Path.Combine(data, label, $"s{design}-{i}.png"), Noisy(colour, seed: design * 100 + i));
        }

        var environment = PipelineEnvironment.Create(dataRoot);
        Assert.Contains(Name, environment.Backbones.Catalog.OfflineDefaults);
        var output = Path.Combine(dataRoot, "out");
        var report = await environment.CreateTrainingRun().RunAsync(new TrainingRunOptions
        {
            DataFolder = data, OutputFolder = output, Architectures = [Name],
            GroupBy = Pipeline.Datasets.FileNameGroupKey.Parse("before:-"),
        });

        var candidate = Assert.Single(report.Candidates);
        Assert.Equal(Name, report.Best);
        Assert.Equal(8, candidate.FeatureLength);
        Assert.Equal(Pipeline.Training.FoldScheme.Grouped, report.FoldScheme.Kind);
        Assert.Equal(4, report.FoldScheme.Groups);
        Assert.Equal(report.FoldScheme, candidate.CrossValidation!.FoldScheme);
        Assert.True(candidate.MacroAccuracy >= 0.9, $"test macro {candidate.MacroAccuracy:0.000}");

        // Images no training run saw, predicted by the saved model in another process.
        var unseen = RepositoryPaths.NewTempFolder("custom-backbone-unseen");
        var images = Colours.Select(c =>
        {
            var path = Path.Combine(unseen, $"{c.Key}.png");
            File.WriteAllBytes(path, Noisy(c.Value, seed: 9999));
            return (Label: c.Key, Path: path);
        }).ToList();
        var predict = await CliProcess.RunAsync(TimeSpan.FromMinutes(3), ["predict", "--model", Path.Combine(output, "model"),
            "--data-root", dataRoot, "--image", .. images.Select(i => i.Path)]);

        Assert.True(predict.ExitCode == 0, predict.StandardError);
        var lines = predict.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(images.Count, lines.Length);
        foreach (var (line, image) in lines.Zip(images))
            Assert.Equal(image.Label, JsonDocument.Parse(line).RootElement.GetProperty("label").GetString());
    }

    /// <summary>A 40x40 image of <paramref name="colour"/> with seeded per-pixel noise, so every image is distinct.</summary>
    private static byte[] Noisy(SKColor colour, int seed)
    {
        var random = new Random(seed);
        byte Jitter(byte value) => (byte)Math.Clamp(value + random.Next(-40, 41), 0, 255);
        using var bitmap = TestImages.Bitmap(40, 40, (_, _) => new SKColor(Jitter(colour.Red), Jitter(colour.Green), Jitter(colour.Blue)));
        return TestImages.Encode(bitmap, SKEncodedImageFormat.Png);
    }

    /// <summary>
    /// pixels [N,3,32,32] → 3x3 convolution to 8 channels (seeded weights), stride 2 → ReLU → global average pool →
    /// embedding [N,8]: the shape of an encoder an online user would bring, small enough to build here.
    /// </summary>
    private static Pipeline.Backbones.Onnx.Proto.ModelProto TinyConvNet()
    {
        var builder = new OnnxGraphBuilder("tiny");
        builder.AddFloatInput("pixels", OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(3),
            OnnxDimension.Fixed(InputSize), OnnxDimension.Fixed(InputSize));
        var random = new Random(5);
        var weights = Enumerable.Range(0, 8 * 3 * 3 * 3).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var w = builder.AddFloatInitializer("conv_w", [8, 3, 3, 3], weights);
        var b = builder.AddFloatInitializer("conv_b", [8], new float[8]);
        var conv = builder.AddNode("Conv", "conv", ["pixels", w, b],
            OnnxAttributes.Ints("kernel_shape", 3, 3), OnnxAttributes.Ints("strides", 2, 2), OnnxAttributes.Ints("pads", 1, 1, 1, 1));
        var relu = builder.AddNode("Relu", "relu", [conv]);
        var pooled = builder.AddNode("GlobalAveragePool", "pool", [relu]);
        builder.ClaimExactName("embedding");
        builder.AddNodeWithExactOutput("Flatten", "embedding", [pooled], OnnxAttributes.Int("axis", 1));
        builder.AddFloatOutput("embedding", OnnxDimension.Symbolic("batch"), OnnxDimension.Fixed(8));
        return builder.Build(13, "Pipeline.Tests", "A tiny convolutional encoder for the bring-your-own-backbone test");
    }
}
