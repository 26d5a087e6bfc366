using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using Pipeline.Backbones;
using Pipeline.Evaluation;
using Pipeline.Export;
using Pipeline.Features;
using Pipeline.Images;
using Pipeline.Registry;
using Pipeline.Retraining;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;
using Pipeline.Training;

namespace Pipeline.Tests.Export;

/// <summary>
/// A model that averages over views (test-time averaging) gives the same probabilities wherever it runs: served
/// predict, the held-out scoring behind <c>evaluate</c> and promotion, the CLI's <c>predict</c> in another process, and
/// its ONNX export in plain ONNX Runtime (which makes the views inside the graph).
/// </summary>
[Trait("Kind", "Integration")]
public sealed class TestTimeAveragingTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Fact]
    public async Task A_model_with_test_time_averaging_gives_the_same_probabilities_served_evaluated_in_cli_predict_and_exported()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var retrainer = new Retrainer(environment, new RetrainOptions
        {
            Seed = 4,
            CombineBest = false,
            CrossValidation = new CrossValidationOptions { L2Grid = [10f], TrainingViews = ViewChoice.On, TestTimeAveraging = ViewChoice.On },
        });
        var scan = await Pipeline.Datasets.LabelledFolderScanner.ScanAsync(ServiceTestData.SampleFolder(ServiceTestData.ThreeLabels, 8),
            new Pipeline.Datasets.ScanOptions());
        var plan = retrainer.Plan(scan.Images, "test");
        var folder = Path.Combine(RepositoryPaths.NewTempFolder("tta"), "model");

        var report = await retrainer.TrainCandidateAsync(BackboneCatalog.MobilenetV2, plan, folder);

        var manifest = ModelArtifact.ReadManifest(folder);
        Assert.Equal(ImageViewGeometry.WithOriginal, manifest.TestTimeViews);
        Assert.Equal(ImageViewGeometry.Augmenting, report.CrossValidation!.Views);
        Assert.True(report.CrossValidation.TestTimeAveraging);

        using var model = await ClassifierModel.LoadAsync(folder, backbones: null);
        var labels = model.Labels;
        var images = plan.Test.Take(6).ToList();
        var served = new List<float[]>();
        foreach (var image in images)
        {
            var top = model.Predict(await File.ReadAllBytesAsync(image.Path), topK: labels.Count).Top.ToDictionary(t => t.Label, t => t.Score);
            served.Add(labels.Select(l => top[l]).ToArray());
        }

        // Averaging changes the answer: the served probabilities are not those of the original view alone.
        var originalOnly = model.Score(model.Featurizer.Featurize(await File.ReadAllBytesAsync(images[0].Path)));
        Assert.True(MaxDelta(originalOnly, served[0]) > 1e-4, "the served probabilities are the original view's alone");

        // Held-out scoring (evaluate, the test figures, promotion), through the feature cache.
        var scored = await model.ScoreAsync(images, environment.Features);
        for (var i = 0; i < images.Count; i++)
            AssertClose("evaluate", served[i], scored.Images.Single(s => s.Sha256 == images[i].Sha256).Scores!);

        // The CLI's predict in another process.
        var predict = await CliProcess.RunAsync(TimeSpan.FromMinutes(5), ["predict", "--model", folder,
            "--data-root", RepositoryPaths.SharedDataRoot, "--top", labels.Count.ToString(), "--image", .. images.Select(i => i.Path)]);
        Assert.True(predict.ExitCode == 0, predict.StandardError);
        var lines = predict.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(images.Count, lines.Length);
        for (var i = 0; i < images.Count; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            var top = line.RootElement.GetProperty("top").EnumerateArray()
                .ToDictionary(t => t.GetProperty("label").GetString()!, t => t.GetProperty("score").GetSingle());
            AssertClose("CLI predict", served[i], labels.Select(l => top[l]).ToArray());
        }

        // The ONNX export, in plain ONNX Runtime, on pixels prepared as the README documents (one view: the graph makes the rest).
        var onnx = Path.Combine(Path.GetDirectoryName(folder)!, "tta.onnx");
        await ModelExporter.ExportAsync(folder, ModelExportFormat.Onnx, onnx);
        using var session = new InferenceSession(onnx);
        Assert.Equal(JsonSerializer.Serialize(ImageViewGeometry.WithOriginal.Select(v => v.ToString())),
            session.ModelMetadata.CustomMetadataMap[OnnxClassifierGraph.TestTimeViewsKey]);
        var side = manifest.Backbone.InputSize;
        var plane = 3 * side * side;
        var pixels = new float[images.Count * plane];
        for (var i = 0; i < images.Count; i++)
        {
            var loaded = ImageLoader.Load(await File.ReadAllBytesAsync(images[i].Path),
                new ImageLoadOptions { TargetWidth = side, TargetHeight = side, ResizeMode = manifest.Backbone.Resize });
            PixelTensorWriter.WriteChw(loaded.Image!, PixelScaling.Raw, pixels.AsSpan(i * plane, plane));
        }

        using var input = OrtValue.CreateTensorValueFromMemory(pixels, [images.Count, 3, side, side]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxClassifierGraph.InputName], [input], [OnnxClassifierGraph.ProbabilitiesName]);
        var exported = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.Equal(images.Count * labels.Count, exported.Length);
        for (var i = 0; i < images.Count; i++)
            AssertClose("ONNX export", served[i], exported.AsSpan(i * labels.Count, labels.Count).ToArray());

        // The ML.NET export has no place for the views: it refuses rather than answer differently.
        var refused = await Assert.ThrowsAsync<PipelineException>(() =>
            ModelExporter.ExportAsync(folder, ModelExportFormat.MlNet, Path.ChangeExtension(onnx, ".zip")));
        Assert.Contains("export it as ONNX", refused.Message);
    }

    private static double MaxDelta(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private void AssertClose(string where, float[] expected, float[] actual)
    {
        var delta = MaxDelta(expected, actual);
        output.WriteLine($"{where}: max |Δp| = {delta:E2}");
        Assert.True(delta < Tolerance, $"{where}: max |Δp| = {delta:E2}");
    }
}
