using System.Text.Json;
using Pipeline.Backbones;
using Pipeline.Tests.Support;
using Pipeline.Retraining;
using Xunit.Abstractions;

namespace Pipeline.Tests.Training;

/// <summary>
/// The heart of the product on real clip art: each pretrained backbone must clearly beat the same head trained on raw
/// downscaled pixels, evaluated on the same held-out images.
/// </summary>
[Collection(SampleDataCollection.Name)]
[Trait("Kind", "Integration")]
public class TransferLearningTests(SampleDataFixture sample, ITestOutputHelper output)
{
    private const double RequiredMarginOverRawPixels = 0.10;

    [Fact]
    public async Task Cli_trains_the_requested_architectures_and_their_combination_and_the_pretrained_backbones_beat_raw_pixels()
    {
        var outFolder = RepositoryPaths.NewTempFolder("train");
        // An empty feature cache of its own, so every image is featurised and the reported images/s is measured.
        var featureCache = RepositoryPaths.NewTempFolder("train-features");

        var run = await CliProcess.RunAsync(TimeSpan.FromMinutes(15), "train", "--data", sample.DataFolder, "--out", outFolder,
            "--architectures", "Resnet18,MobilenetV2,RawPixels", "--seed", "7", "--data-root", sample.DataRoot,
            // Style views (on by default) would featurise the train part twice more; their own tests cover them.
            "--feature-cache", featureCache, "--style-views", "false");

        Assert.True(run.ExitCode == 0, run.StandardError);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outFolder, "report.json")));
        var candidates = report.RootElement.GetProperty("candidates").EnumerateArray()
            .ToDictionary(c => c.GetProperty("architecture").GetString()!);
        foreach (var (name, c) in candidates)
            output.WriteLine($"{name}: macro {c.GetProperty("macroAccuracy").GetDouble():0.000} micro {c.GetProperty("microAccuracy").GetDouble():0.000} " +
                             $"logloss {c.GetProperty("logLoss").GetDouble():0.000} {c.GetProperty("featurizeImagesPerSecond").GetDouble():0.0} img/s");

        // The three requested, and the combined candidate of the two backbones (raw pixels are not a backbone).
        Assert.Equal(["MobilenetV2", "RawPixels", "Resnet18", "Resnet18+MobilenetV2"], candidates.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(candidates["Resnet18"].GetProperty("featureLength").GetInt32() + candidates["MobilenetV2"].GetProperty("featureLength").GetInt32(),
            candidates["Resnet18+MobilenetV2"].GetProperty("featureLength").GetInt32());
        Assert.Equal(5, report.RootElement.GetProperty("folds").GetInt32());
        foreach (var c in candidates.Values)
            Assert.InRange(c.GetProperty("crossValidation").GetProperty("meanMacroAccuracy").GetDouble(), 0, 1);
        var raw = candidates["RawPixels"].GetProperty("macroAccuracy").GetDouble();
        foreach (var pretrained in new[] { "MobilenetV2", "Resnet18" })
        {
            var c = candidates[pretrained];
            Assert.True(c.GetProperty("macroAccuracy").GetDouble() >= raw + RequiredMarginOverRawPixels,
                $"{pretrained} macro accuracy {c.GetProperty("macroAccuracy").GetDouble():0.000} vs raw pixels {raw:0.000}");
            Assert.True(c.GetProperty("featurizeImagesPerSecond").GetDouble() > 0);
            Assert.True(c.GetProperty("trainSeconds").GetDouble() > 0);
            var labels = SampleDataFixture.Categories.Count;
            Assert.Equal(labels, c.GetProperty("perClass").GetArrayLength());
            Assert.Equal(labels, c.GetProperty("confusionMatrix").GetProperty("counts").GetArrayLength());
        }

        Assert.Contains(report.RootElement.GetProperty("best").GetString(), new[] { "MobilenetV2", "Resnet18", "Resnet18+MobilenetV2" });
        Assert.Equal(JsonValueKind.Array, report.RootElement.GetProperty("rejected").ValueKind);
        Assert.True(File.Exists(Path.Combine(outFolder, "model", "model.json")));

        // The sample's labels are about equal (40 files each, less the few it rejects): the head weighs every image alike.
        var balance = report.RootElement.GetProperty("labelBalance");
        var (largest, smallest) = (balance.GetProperty("largestLabel").GetInt32(), balance.GetProperty("smallestLabel").GetInt32());
        var images = report.RootElement.GetProperty("trainImages").GetInt32() + report.RootElement.GetProperty("testImages").GetInt32();
        Assert.InRange(smallest, 30, largest);
        Assert.InRange(images, smallest * SampleDataFixture.Categories.Count, largest * SampleDataFixture.Categories.Count);
        Assert.False(balance.GetProperty("weighted").GetBoolean());
        Assert.Contains($"labels: {smallest}-{largest} images each; the head weighted every image alike", run.StandardOutput);
    }

    [Fact]
    public async Task Cli_predict_prints_one_json_line_per_image_with_a_known_label()
    {
        var outFolder = RepositoryPaths.NewTempFolder("predict");
        var train = await CliProcess.RunAsync(TimeSpan.FromMinutes(10), "train", "--data", sample.DataFolder, "--out", outFolder,
            "--architectures", "MobilenetV2", "--data-root", sample.DataRoot);
        Assert.True(train.ExitCode == 0, train.StandardError);
        var images = Directory.GetFiles(Path.Combine(sample.DataFolder, "food")).Order().Take(3).ToArray();

        var predict = await CliProcess.RunAsync(TimeSpan.FromMinutes(5), ["predict", "--model", Path.Combine(outFolder, "model"),
            "--data-root", sample.DataRoot, "--top", "2", "--image", .. images]);

        Assert.True(predict.ExitCode == 0, predict.StandardError);
        var lines = predict.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        foreach (var (line, image) in lines.Zip(images))
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(image, json.RootElement.GetProperty("image").GetString());
            Assert.Contains(json.RootElement.GetProperty("label").GetString(), SampleDataFixture.Categories);
            var top = json.RootElement.GetProperty("top");
            Assert.Equal(2, top.GetArrayLength());
            Assert.Equal(json.RootElement.GetProperty("label").GetString(), top[0].GetProperty("label").GetString());
            Assert.InRange(json.RootElement.GetProperty("score").GetSingle(), 0f, 1f);
        }
    }

    [Fact]
    public async Task Retraining_after_new_images_featurises_only_the_new_ones()
    {
        var environment = sample.CreateEnvironment();
        var data = RepositoryPaths.NewTempFolder("incremental");
        foreach (var category in SampleDataFixture.Categories.Take(3))
        {
            Directory.CreateDirectory(Path.Combine(data, category));
            foreach (var file in Directory.GetFiles(Path.Combine(sample.DataFolder, category)).Order().Take(10))
                File.Copy(file, Path.Combine(data, category, Path.GetFileName(file)));
        }

        var options = new TrainingRunOptions { DataFolder = data, OutputFolder = Path.Combine(data, "out"), Architectures = ["MobilenetV2"] };
        await environment.CreateTrainingRun().RunAsync(options);
        var newImage = Directory.GetFiles(Path.Combine(sample.DataFolder, "animals")).Order().Last();
        File.Copy(newImage, Path.Combine(data, "animals", "new-" + Path.GetFileName(newImage)));

        var second = await environment.CreateTrainingRun().RunAsync(options);

        var candidate = Assert.Single(second.Candidates);
        Assert.Equal(31, candidate.CachedImages + candidate.FeaturizedImages);
        Assert.True(candidate.FeaturizedImages <= 1, $"featurised {candidate.FeaturizedImages} images again");
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_split_and_metrics()
    {
        var environment = sample.CreateEnvironment();
        TrainingRunOptions Options(string name) => new()
        {
            DataFolder = sample.DataFolder, OutputFolder = RepositoryPaths.NewTempFolder(name), Architectures = [BackboneCatalog.RawPixels], Retrain = new RetrainOptions { Seed = 11 },
        };

        var first = await environment.CreateTrainingRun().RunAsync(Options("seed-a"));
        var second = await environment.CreateTrainingRun().RunAsync(Options("seed-b"));

        Assert.Equal(first.Candidates[0].MacroAccuracy, second.Candidates[0].MacroAccuracy);
        Assert.Equal(first.Candidates[0].LogLoss, second.Candidates[0].LogLoss);
    }
}
