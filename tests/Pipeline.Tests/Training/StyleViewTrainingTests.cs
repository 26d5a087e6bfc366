using Pipeline.Backbones;
using Pipeline.Features;
using Pipeline.Registry;
using Pipeline.Retraining;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;
using Pipeline.Training;

namespace Pipeline.Tests.Training;

/// <summary>
/// Style views (<see cref="CrossValidationOptions.StyleViews"/>): their rows join the final fits, the gate head's and the
/// served head's, and never the folds, and the model says so.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class StyleViewTrainingTests
{
    [Fact]
    public async Task Style_views_train_the_gate_and_served_heads_but_leave_cross_validation_as_it_was()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var scan = await Pipeline.Datasets.LabelledFolderScanner.ScanAsync(ServiceTestData.SampleFolder(ServiceTestData.ThreeLabels, 8),
            new Pipeline.Datasets.ScanOptions());
        var root = RepositoryPaths.NewTempFolder("style-views");

        async Task<(Retrainer Retrainer, TrainingPlan Plan, string Folder, Pipeline.Evaluation.CandidateReport Report)> TrainAsync(bool styleViews)
        {
            var options = new RetrainOptions
            {
                Seed = 5,
                CombineBest = false,
                CrossValidation = new CrossValidationOptions { L2Grid = [1f, 10f], StyleViews = styleViews },
            };
            var retrainer = new Retrainer(environment, options);
            var plan = retrainer.Plan(scan.Images, "test");
            var folder = Path.Combine(root, styleViews ? "with" : "without");
            return (retrainer, plan, folder, await retrainer.TrainCandidateAsync(BackboneCatalog.MobilenetV2, plan, folder));
        }

        var without = await TrainAsync(styleViews: false);
        var with = await TrainAsync(styleViews: true);

        Assert.Empty(without.Report.CrossValidation!.StyleViews);
        Assert.Equal(ImageStyleViews.All, with.Report.CrossValidation!.StyleViews);
        Assert.Equal(ImageStyleViews.All, ModelArtifact.ReadManifest(with.Folder).Metrics.CrossValidation!.StyleViews);

        // Not cross-validated: the folds, and so the L2 they chose, are the same with or without.
        Assert.Equal(without.Report.CrossValidation.FoldMacroAccuracy, with.Report.CrossValidation.FoldMacroAccuracy);
        Assert.Equal(without.Report.CrossValidation.L2, with.Report.CrossValidation.L2);

        // Every training image's style views are in the cache, each under its own key.
        using (var featurizer = new ImageFeaturizer(await environment.Backbones.PrepareAsync(BackboneCatalog.MobilenetV2)))
            foreach (var view in ImageStyleViews.All)
                Assert.All(with.Plan.Train, image => Assert.True(environment.Features.TryRead(featurizer.CacheKey(view), image.Sha256,
                    featurizer.Descriptor.FeatureLength, out _), $"{view} of {image.Path} is not cached"));

        // The gate head was fitted on more rows than the originals: it answers differently on the same image.
        var image = await File.ReadAllBytesAsync(with.Plan.Test[0].Path);
        using (var plain = await ClassifierModel.LoadAsync(without.Folder, backbones: null))
        using (var styled = await ClassifierModel.LoadAsync(with.Folder, backbones: null))
        {
            var features = plain.Featurizer.Featurize(image);
            var delta = plain.Score(features).Zip(styled.Score(features), (a, b) => Math.Abs(a - b)).Max();
            Assert.True(delta > 1e-4, $"the gate heads answer alike (largest difference {delta})");
        }

        // The served head, refitted on every image, trains on their style views too.
        var served = await new ServedHeadRefitter(environment, new RetrainOptions()).RefitAsync(with.Plan, with.Folder);
        Assert.Equal(ImageStyleViews.All, served.Views);
    }
}
