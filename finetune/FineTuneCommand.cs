using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Backbones.MlNet;
using Pipeline.Backbones.Onnx;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.FineTuning.LastStage;
using Pipeline.FineTuning.Tuning;
using Pipeline.Storage;
using Pipeline.Training;

namespace Pipeline.FineTuning;

/// <summary>
/// Scans the folder, keeps the train part of the split <c>train</c> would make with the same seed and test fraction,
/// tunes the last stage on it, and writes the tuned backbone with its report.
/// </summary>
internal static class FineTuneCommand
{
    private static readonly JsonSerializerOptions IndentedJson = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Converters = { new JsonStringEnumConverter() },
    };

    /// <returns>The written descriptor's path.</returns>
    public static async Task<string> RunAsync(FineTuneRequest request, TextWriter log, CancellationToken ct)
    {
        var scan = await LabelledFolderScanner.ScanUsableAsync(request.DataFolder, cancellationToken: ct);
        var plan = TrainingPlan.Create(scan.Images, new SplitOptions { Seed = request.Tuning.Seed, TestFraction = request.TestFraction },
            folds: 2, request.DataFolder);
        if (!plan.IsUsable) throw new PipelineException(plan.Split.Error!);
        log.WriteLine($"Tuning on the train part: {plan.Train.Count} images, {plan.Labels.Count} labels " +
                      $"({plan.Test.Count} held out as train's test split, never seen here).");

        var package = ResNet18PackageFiles.Locate();
        await package.VerifyAsync(ct);
        var details = TunedBackboneWriter.DetailsFolder(request.OutputFolder, request.Name);
        var network = OnnxModelFile.Read(package.Network);
        var graph = LastStageGraph.Read(network.Graph);

        var (samples, labels) = await ActivationsAsync(plan, package, network.Graph, details, request.Tuning.Views, log, ct);
        using var stage = new LastStageModule(graph, network.Graph);
        var report = LastStageTuner.Tune(stage, samples, labels, plan.Labels.Count, request.Tuning, log.WriteLine, ct);

        var descriptor = await TunedBackboneWriter.WriteAsync(TunedBackboneWriter.WithInitializers(network, stage.TensorsByInitializer),
            package, request.Name, request.OutputFolder, ct);
        await AtomicFile.WriteAllTextAsync(Path.Combine(details, "report.json"), JsonSerializer.Serialize(new
        {
            name = request.Name,
            dataFolder = request.DataFolder,
            labels = plan.Labels,
            testFraction = request.TestFraction,
            tuning = request.Tuning,
            report,
        }, IndentedJson), ct);
        return descriptor;
    }

    private static async Task<(List<float[][]> Samples, List<int> Labels)> ActivationsAsync(TrainingPlan plan,
        ResNet18PackageFiles package, GraphProto network, string workFolder, IReadOnlyList<ImageView> views, TextWriter log,
        CancellationToken ct)
    {
        using var extractor = new Stage3Activations(package, network, workFolder);
        var byView = new List<IReadOnlyDictionary<string, float[]>>();
        foreach (var view in new[] { ImageView.Original }.Concat(views))
        {
            byView.Add(await extractor.ComputeAsync(plan.Train, view, progress: null, ct));
            log.WriteLine($"stage-3 activations: {view}");
        }

        var labelIndex = plan.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
        var samples = new List<float[][]>();
        var labels = new List<int>();
        foreach (var image in plan.Train)
        {
            if (!byView.All(v => v.ContainsKey(image.Sha256))) continue;
            samples.Add(byView.Select(v => v[image.Sha256]).ToArray());
            labels.Add(labelIndex[image.Label]);
        }

        return (samples, labels);
    }
}
