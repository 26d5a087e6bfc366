using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Registry;
using Pipeline.Retraining;
using Pipeline.Tests.Service;
using Pipeline.Tests.Images;
using Pipeline.Tests.Support;
using SkiaSharp;
using Pipeline.Evaluation;

namespace Pipeline.Tests.Retraining;

/// <summary>The retrain's candidate step on real images and backbones: combined candidates, mirrored features.</summary>
[Trait("Kind", "Unit")]
public sealed class RetrainerTests
{
    private static async Task<IReadOnlyList<LabelledImage>> SampleAsync()
    {
        var folder = ServiceTestData.SampleFolder(ServiceTestData.ThreeLabels, 16);
        return (await LabelledFolderScanner.ScanAsync(folder, new ScanOptions())).Images;
    }

    [Fact]
    public async Task A_combined_candidate_is_saved_once_and_its_loaded_model_scores_and_predicts_as_it_was_measured()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var retrainer = new Retrainer(environment, new RetrainOptions { Seed = 5 });
        var plan = retrainer.Plan(await SampleAsync(), "test");
        var parent = RepositoryPaths.NewTempFolder("combined");
        var folder = Path.Combine(parent, "candidate");

        var report = await retrainer.TrainCandidateAsync("MobilenetV2+RawPixels", plan, folder);

        var manifest = ModelArtifact.ReadManifest(folder);
        Assert.Equal(BackboneCatalog.MobilenetV2, manifest.Backbone.Name);
        Assert.Equal(BackboneCatalog.RawPixels, Assert.Single(manifest.ExtraBackbones).Name);
        Assert.Equal(manifest.Backbone.FeatureLength + RawPixelFeatures.Length, report.FeatureLength);
        Assert.NotNull(report.CrossValidation);
        Assert.Equal(5, report.CrossValidation.Folds);
        Assert.Contains(report.CrossValidation.L2, retrainer.Options.CrossValidation.L2Grid);
        Assert.True(report.PredictLatencyMs > 0);
        Assert.Equal(["candidate"], Directory.EnumerateFileSystemEntries(parent).Select(Path.GetFileName));
        // Self-contained: the MobileNetV2 backbone travels inside; raw pixels have no file to carry.
        Assert.Equal([ModelArtifact.BackboneDescriptorFile(0), ModelArtifact.BackboneFile(0), ModelArtifact.HeadFileName,
                ModelArtifact.ManifestFileName],
            Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        using var model = await ClassifierModel.LoadAsync(folder, backbones: null);
        var scores = await model.ScoreAsync(plan.Test, environment.Features);
        Assert.Equal(report.MacroAccuracy, scores.Metrics().MacroAccuracy, 9);
        foreach (var image in plan.Test.Take(3))
        {
            var predicted = model.Predict(await File.ReadAllBytesAsync(image.Path)).Label;
            Assert.Equal(scores.Images.Single(i => i.Sha256 == image.Sha256).Predicted, predicted);
        }
    }

    [Fact]
    public async Task Mirrored_features_are_the_mirror_image_and_cached_under_their_own_key()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var cache = new FeatureCache(RepositoryPaths.NewTempFolder("mirror-cache"));
        var file = Path.Combine(RepositoryPaths.NewTempFolder("mirror"), "left-red.png");
        // Red on the left third, blue elsewhere: nothing like its mirror image.
        using (var bitmap = TestImages.Bitmap(96, 96, (x, _) => x < 32 ? SKColors.Red : SKColors.Blue))
            await File.WriteAllBytesAsync(file, TestImages.Encode(bitmap, SKEncodedImageFormat.Png));
        var image = new LabelledImage(file, "x", new string('c', 64), 96, 96, "png");
        using var featurizer = new ImageFeaturizer(await environment.Backbones.PrepareAsync(BackboneCatalog.RawPixels));

        var original = (await featurizer.FeaturizeAsync([image], cache, ImageView.Original)).BySha256[image.Sha256];
        var mirrored = (await featurizer.FeaturizeAsync([image], cache, ImageView.Mirrored)).BySha256[image.Sha256];

        const int side = RawPixelFeatures.Side;
        Assert.NotEqual(original, mirrored);
        for (var plane = 0; plane < 3; plane++)
            for (var y = 0; y < side; y++)
                for (var x = 0; x < side; x++)
                    Assert.Equal(original[(plane * side + y) * side + x], mirrored[(plane * side + y) * side + side - 1 - x]);
        Assert.NotEqual(featurizer.CacheKey(ImageView.Original), featurizer.CacheKey(ImageView.Mirrored));
        Assert.True(cache.TryRead(featurizer.CacheKey(ImageView.Mirrored), image.Sha256, original.Length, out var cached));
        Assert.Equal(mirrored, cached);
    }
}
