using System.Text.Json;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.FineTuning.Tuning;
using Pipeline.Retraining;
using Pipeline.Training;

namespace Pipeline.FineTuning.Tests;

/// <summary>
/// The tool end to end on real clip art: it tunes on train's train part only and writes a custom backbone into a data
/// root (outside the default set), which the pipeline then prepares and runs like any other. (That a custom backbone
/// trains, cross-validates and predicts through the verbs is CustomBackboneTests' in Pipeline.Tests.)
/// </summary>
[Trait("Kind", "Integration")]
public sealed class FineTuneCommandTests
{
    [Fact]
    public async Task A_tuned_backbone_is_written_as_a_custom_backbone_that_the_pipeline_prepares_and_runs()
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
        Assert.Equal(2, tuning.GetProperty("epochs").GetArrayLength());
        Assert.True(tuning.GetProperty("drift").GetDouble() > 0, "the stage did not move");

        // Tuned on exactly the train part `train` uses with the same seed and test fraction: its test images unseen.
        var scan = await LabelledFolderScanner.ScanUsableAsync(data);
        var options = new RetrainOptions { Seed = 5, TestFraction = 0.25 };
        var plan = TrainingPlan.Create(scan.Images, options.Split, options.CrossValidation.Folds, data);
        Assert.Equal(plan.Train.Count, tuning.GetProperty("images").GetInt32());
        Assert.True(plan.Test.Count > 0);

        var environment = PipelineEnvironment.Create(dataRoot);
        Assert.True(environment.Backbones.Catalog.Contains("Resnet18Tuned"));
        Assert.DoesNotContain("Resnet18Tuned", environment.Backbones.Catalog.OfflineDefaults);
        var tuned = await environment.Backbones.PrepareAsync("Resnet18Tuned");
        // The built-in Resnet18's features: every pooled tap, average and max (the final pool once).
        Assert.Equal(2 * (64 + 128 + 256 + 512) + 512, tuned.Descriptor.FeatureLength);
        using var featurizer = new ImageFeaturizer(tuned);
        var features = await featurizer.FeaturizeAsync(plan.Test, cache: null);
        Assert.Empty(features.Failed);
        Assert.All(features.BySha256.Values, f => Assert.Contains(f, v => v != 0));
    }
}
