using System.Text.Json;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.FineTuning.Tuning;
using Pipeline.Retraining;

namespace Pipeline.FineTuning.Tests;

/// <summary>
/// The tool end to end on real clip art: it tunes on train's train part only, writes a custom backbone into a data
/// root (outside the default set), and the pipeline then trains that backbone where it is named, beside the built-in
/// Resnet18.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class FineTuneCommandTests
{
    [Fact]
    public async Task A_tuned_backbone_is_written_as_a_custom_backbone_that_the_pipeline_trains()
    {
        var data = ClipArtFolder.Create("tune-data", ["animals", "food", "transportation"], 8);
        var dataRoot = ClipArtFolder.NewTempFolder("tune-root");
        var custom = Path.Combine(dataRoot, "backbones", "custom");
        var request = new FineTuneRequest(data, custom, "Resnet18Tuned", TestFraction: 0.25,
            new TuningOptions { Epochs = 2, Views = [ImageView.Mirrored], Seed = 5 });

        var log = new StringWriter();
        var descriptor = await FineTuneCommand.RunAsync(request, log, CancellationToken.None);

        Assert.True(File.Exists(descriptor), log.ToString());
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(custom, "Resnet18Tuned.tuning", "report.json")));
        var tuning = report.RootElement.GetProperty("report");
        Assert.Equal(2, tuning.GetProperty("Epochs").GetArrayLength());
        Assert.True(tuning.GetProperty("Drift").GetDouble() > 0, "the stage did not move");

        var environment = PipelineEnvironment.Create(dataRoot);
        Assert.True(environment.Backbones.Catalog.Contains("Resnet18Tuned"));
        Assert.DoesNotContain("Resnet18Tuned", environment.Backbones.Catalog.OfflineDefaults);
        var run = await environment.CreateTrainingRun().RunAsync(new TrainingRunOptions
        {
            DataFolder = data, OutputFolder = Path.Combine(dataRoot, "out"), Architectures = ["Resnet18Tuned", BackboneCatalog.Resnet18],
            Retrain = new RetrainOptions { Seed = 5, CombineBest = false },
        });

        // Tuned on exactly the train part train uses with the same seed and test fraction: its test images unseen.
        Assert.Equal(run.TrainImages, tuning.GetProperty("Images").GetInt32());
        var tuned = Assert.Single(run.Candidates, c => c.Architecture == "Resnet18Tuned");
        var untuned = Assert.Single(run.Candidates, c => c.Architecture == BackboneCatalog.Resnet18);
        Assert.Equal(untuned.FeatureLength, tuned.FeatureLength);
        Assert.InRange(tuned.MacroAccuracy, 0.0, 1.0);
    }
}
