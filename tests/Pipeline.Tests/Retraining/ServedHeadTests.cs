using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Evaluation;
using Pipeline.Promotion;
using Pipeline.Registry;
using Pipeline.Retraining;
using Pipeline.Tests.Service;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Retraining;

/// <summary>
/// The two heads of a chosen model on real images (raw pixels, to stay fast): the served head is refitted on every
/// image; the gate head, fitted on the train part only, is the one every held-out figure and comparison uses.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class ServedHeadTests
{
    private static async Task<(PipelineEnvironment Environment, Retrainer Retrainer, Pipeline.Training.TrainingPlan Plan)> ArrangeAsync()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        var retrainer = new Retrainer(environment, new RetrainOptions { Seed = 5, CombineBest = false });
        var folder = ServiceTestData.SampleFolder(ServiceTestData.ThreeLabels, 16);
        var images = (await LabelledFolderScanner.ScanAsync(folder, new ScanOptions())).Images;
        return (environment, retrainer, retrainer.Plan(images, "test"));
    }

    [Fact]
    public async Task The_chosen_candidate_serves_a_head_refitted_on_every_image_and_keeps_its_train_part_head_as_the_gate()
    {
        var (environment, retrainer, plan) = await ArrangeAsync();
        var parent = RepositoryPaths.NewTempFolder("served-head");
        string FolderOf(string candidate) => Path.Combine(parent, candidate);
        var single = await retrainer.TrainCandidateAsync(BackboneCatalog.RawPixels, plan, FolderOf(BackboneCatalog.RawPixels));

        // Before the choice the candidate has one head, which is its own gate.
        using (var oneHead = await ClassifierModel.LoadAsync(FolderOf(BackboneCatalog.RawPixels), environment.Backbones))
        using (var ownGate = await oneHead.LoadGateViewAsync())
        {
            var served = await oneHead.ScoreAsync(plan.Test, environment.Features);
            var gate = await ownGate.ScoreAsync(plan.Test, environment.Features);
            Assert.Equal(served.Images.Select(i => i.Scores), gate.Images.Select(i => i.Scores));
            Assert.Equal(single.MacroAccuracy, gate.Metrics().MacroAccuracy, 9);
        }

        var (candidates, selection) = await retrainer.CompleteAsync(plan, [single], FolderOf);

        var folder = FolderOf(selection.Best.Architecture);
        Assert.Contains(ModelArtifact.GateHeadFileName, Directory.EnumerateFiles(folder).Select(Path.GetFileName));
        var manifest = ModelArtifact.ReadManifest(folder);
        var servedHead = Assert.IsType<ServedHeadReport>(manifest.Metrics.ServedHead);
        Assert.Equal(plan.Train.Count + plan.Test.Count, servedHead.TrainImages);
        Assert.Equal(plan.Train.Count, manifest.Metrics.TrainImages);
        Assert.Equal(manifest.Metrics.CrossValidation!.L2, servedHead.L2Regularization);
        Assert.Equal(servedHead, Assert.Single(candidates).ServedHead);
        // The test figures are untouched by the refit: they are the gate head's.
        Assert.Equal(single.MacroAccuracy, manifest.Metrics.MacroAccuracy, 9);

        using var model = await ClassifierModel.LoadAsync(folder, environment.Backbones);
        using var gateView = await model.LoadGateViewAsync();
        var servedScores = await model.ScoreAsync(plan.Test, environment.Features);
        var gateScores = await gateView.ScoreAsync(plan.Test, environment.Features);
        Assert.Equal(manifest.Metrics.MacroAccuracy, gateScores.Metrics().MacroAccuracy, 9);
        // The served head was fitted on these test images too: it does better on them than a held-out head can.
        Assert.True(servedScores.Metrics().MacroAccuracy > gateScores.Metrics().MacroAccuracy,
            $"served {servedScores.Metrics().MacroAccuracy}, gate {gateScores.Metrics().MacroAccuracy}");

        // A resumed retrain finds the refit done and leaves the folder as it is.
        var again = await new ServedHeadRefitter(environment, retrainer.Options).RefitAsync(plan, folder);
        Assert.Equal(servedHead, again);
    }

    [Fact]
    public async Task Promotion_scores_champion_and_challenger_through_their_gate_heads_never_the_served_ones()
    {
        var (environment, retrainer, plan) = await ArrangeAsync();
        var registry = new ModelRegistry(RepositoryPaths.NewTempFolder("served-head-registry"));
        var promoter = new ModelPromoter(registry, environment, new PromotionRule());

        async Task<string> TrainAsync(string name)
        {
            var parent = RepositoryPaths.NewTempFolder(name);
            string FolderOf(string candidate) => Path.Combine(parent, candidate);
            var single = await retrainer.TrainCandidateAsync(BackboneCatalog.RawPixels, plan, FolderOf(BackboneCatalog.RawPixels));
            var (_, selection) = await retrainer.CompleteAsync(plan, [single], FolderOf);
            return FolderOf(selection.Best.Architecture);
        }

        var first = await TrainAsync("served-head-first");
        var gateMacro = ModelArtifact.ReadManifest(first).Metrics.MacroAccuracy;
        double servedMacro;
        using (var model = await ClassifierModel.LoadAsync(first, environment.Backbones))
            servedMacro = (await model.ScoreAsync(plan.Test, environment.Features)).MacroAccuracy(plan.Labels);
        Assert.NotEqual(gateMacro, servedMacro, 6); // so the assertions below tell the two heads apart

        var promoted = await promoter.DecideAsync(first, plan, "test");
        Assert.True(promoted.Promoted);
        Assert.Equal(gateMacro, registry.Decisions()[^1].ChallengerMacroAccuracy!.Value, 9);

        // The same training again (seeded, so the same heads): the comparison of the two must read the gate heads.
        var second = await TrainAsync("served-head-second");
        var outcome = await promoter.DecideAsync(second, plan, "test");

        var decision = registry.Decisions()[^1];
        Assert.False(outcome.Promoted, outcome.Reason);
        Assert.Equal(PromotionBasis.ClearlyBetter, decision.Rule);
        Assert.Equal(gateMacro, decision.ChampionMacroAccuracy!.Value, 9);
        Assert.Equal(gateMacro, decision.ChallengerMacroAccuracy!.Value, 9);
        Assert.Equal(promoted.Version, registry.Current()!.Version); // the champion keeps serving
    }
}
