using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Export;
using Pipeline.Images;
using Pipeline.Registry;
using Pipeline.Retraining;
using Pipeline.Tests.Support;
using Pipeline.Training;

namespace Pipeline.Tests.Export;

/// <summary>
/// The ONNX export, run by plain ONNX Runtime on pixels prepared as the README documents, gives the service's
/// probabilities.
/// </summary>
[Collection(ExportCollection.Name)]
[Trait("Kind", "Integration")]
public class OnnxExportTests(ExportFixture fixture, ITestOutputHelper output)
{
    private const int ImageCount = 20;
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task Onnx_export_of_a_MobileNetV2_model_gives_the_service_probabilities_in_plain_onnx_runtime()
    {
        var onnx = Path.Combine(RepositoryPaths.NewTempFolder("onnx-export"), "mobilenet.onnx");

        var result = await CliProcess.RunAsync(TimeSpan.FromMinutes(5),
            "export", "--model", fixture.MobilenetModel, "--format", "onnx", "--out", onnx);

        Assert.True(result.ExitCode == 0, result.StandardError);
        await AssertMatchesServiceAsync(fixture.MobilenetModel, onnx);
    }

    [Fact]
    public async Task Onnx_export_of_a_raw_pixel_model_gives_the_service_probabilities_in_plain_onnx_runtime()
    {
        var onnx = Path.Combine(RepositoryPaths.NewTempFolder("onnx-export"), "raw.onnx");

        await ModelExporter.ExportAsync(fixture.RawPixelsModel, ModelExportFormat.Onnx, onnx);

        await AssertMatchesServiceAsync(fixture.RawPixelsModel, onnx);
    }

    [Fact]
    public async Task Onnx_export_of_a_combined_model_takes_one_input_per_backbone_and_gives_the_service_probabilities()
    {
        var onnx = Path.Combine(RepositoryPaths.NewTempFolder("onnx-export"), "combined.onnx");

        await ModelExporter.ExportAsync(fixture.CombinedModel, ModelExportFormat.Onnx, onnx);

        using (var session = new InferenceSession(onnx))
            Assert.Equal([OnnxClassifierGraph.InputName, "pixels_1"], session.InputNames);
        await AssertMatchesServiceAsync(fixture.CombinedModel, onnx);
    }

    [Fact]
    public async Task A_LightGbm_head_is_not_exportable_and_the_error_says_which_heads_are()
    {
        var scan = await LabelledFolderScanner.ScanAsync(fixture.ImagesFolder, new ScanOptions());
        var folder = Path.Combine(RepositoryPaths.NewTempFolder("lightgbm"), "model");
        var retrainer = new Retrainer(PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot), new RetrainOptions
        {
            Seed = 3,
            CombineBest = false,
            Head = new HeadOptions { Trainer = HeadTrainerKind.LightGbm, LightGbmIterations = 5 },
            // LightGBM ignores L2: one grid value keeps the folds to one fit each.
            CrossValidation = new CrossValidationOptions { L2Grid = [1f] },
        });
        await retrainer.TrainCandidateAsync(BackboneCatalog.RawPixels, retrainer.Plan(scan.Images, "test"), folder);
        var onnx = Path.Combine(Path.GetDirectoryName(folder)!, "lightgbm.onnx");

        var error = await Assert.ThrowsAsync<PipelineException>(() => ModelExporter.ExportAsync(folder, ModelExportFormat.Onnx, onnx));

        Assert.Contains("Only linear heads (LbfgsMaximumEntropy, Sdca) can be exported", error.Message);
        Assert.False(File.Exists(onnx));
    }

    private async Task AssertMatchesServiceAsync(string modelFolder, string onnx)
    {
        using var service = await ClassifierModel.LoadAsync(modelFolder, null);
        using var session = new InferenceSession(onnx);
        var labels = JsonSerializer.Deserialize<string[]>(session.ModelMetadata.CustomMetadataMap[OnnxClassifierGraph.LabelsKey])!;
        Assert.Equal(service.Labels, labels);

        // Spread over every label: every fifth image of the sorted list.
        var images = fixture.Images.Where((_, i) => i % 5 == 0).Take(ImageCount).ToList();
        Assert.Equal(ImageCount, images.Count);
        // One input per backbone, each prepared at that backbone's own size as the README documents.
        var backbones = service.Manifest.AllBackbones();
        var inputs = new List<OrtValue>();
        foreach (var backbone in backbones)
            inputs.Add(OrtValue.CreateTensorValueFromMemory(await PixelsAsync(images, backbone),
                [ImageCount, 3, backbone.InputSize, backbone.InputSize]));
        var names = backbones.Select((_, i) => OnnxClassifierGraph.InputNameOf(i)).ToList();
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, names, inputs, [OnnxClassifierGraph.ProbabilitiesName]);
        inputs.ForEach(i => i.Dispose());
        var probabilities = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        var maxDelta = 0.0;
        for (var i = 0; i < ImageCount; i++)
        {
            var expected = service.Predict(await File.ReadAllBytesAsync(images[i]), topK: labels.Length).Top
                .ToDictionary(t => t.Label, t => t.Score);
            for (var k = 0; k < labels.Length; k++)
                maxDelta = Math.Max(maxDelta, Math.Abs(probabilities[i * labels.Length + k] - expected[labels[k]]));
        }

        // A head that says 1/labels to everything would match anything; these must be real answers.
        Assert.True(probabilities.Max() > 1.0 / labels.Length + 0.2, $"the model is degenerate: max p = {probabilities.Max()}");
        output.WriteLine($"{service.Manifest.Architecture}: max |Δp| = {maxDelta:E2} over {ImageCount} images");
        Assert.True(maxDelta < Tolerance, $"max |Δp| = {maxDelta:E2} over {ImageCount} images");
    }

    /// <summary>The documented preprocessing: decode, flatten onto white, resize as the backbone says, RGB 0..255 NCHW.</summary>
    private static async Task<float[]> PixelsAsync(IReadOnlyList<string> images, BackboneDescriptor backbone)
    {
        var side = backbone.InputSize;
        var plane = 3 * side * side;
        var pixels = new float[images.Count * plane];
        for (var i = 0; i < images.Count; i++)
        {
            var loaded = ImageLoader.Load(await File.ReadAllBytesAsync(images[i]),
                new ImageLoadOptions { TargetWidth = side, TargetHeight = side, ResizeMode = backbone.Resize });
            PixelTensorWriter.WriteChw(loaded.Image!, PixelScaling.Raw, pixels.AsSpan(i * plane, plane));
        }

        return pixels;
    }
}
