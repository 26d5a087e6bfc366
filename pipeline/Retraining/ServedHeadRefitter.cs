using System.Diagnostics;
using Microsoft.ML;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Progress;
using Pipeline.Registry;
using Pipeline.Training;

namespace Pipeline.Retraining;

/// <summary>
/// After the choice, refits the chosen candidate's head on every image of the plan (train and test parts) with the
/// hyper-parameters its cross-validation chose (L2, training views or mirroring) and its style views, and makes that the head the model serves. The head
/// fitted on the train part stays beside it as the gate head (<see cref="ModelHead.Gate"/>), which every held-out
/// comparison uses, so the promotion gate never judges a head on images it was fitted on.
/// </summary>
/// <remarks>
/// The folder's features are all in the cache by then (every candidate featurises its train and test parts), so the
/// refit costs one head fit, plus the mirrored test images when mirroring; it starts from the gate head's weights.
/// Idempotent: a folder that already has a
/// served head (a retrain resumed after a crash) is left as it is.
/// </remarks>
public sealed class ServedHeadRefitter(PipelineEnvironment pipeline, RetrainOptions options)
{
    public async Task<ServedHeadReport> RefitAsync(TrainingPlan plan, string folder, IProgress<ProgressUpdate>? progress = null,
        CancellationToken ct = default)
    {
        var manifest = ModelArtifact.ReadManifest(folder);
        if (manifest.Metrics.ServedHead is { } done) return done;

        progress?.Report(new ProgressUpdate("refit", $"{manifest.Architecture}: every image", 0, 1));
        var clock = Stopwatch.StartNew();
        var backbones = await ModelArtifact.LoadBackbonesAsync(folder, manifest, pipeline.Backbones, ct);
        using var featurizer = ModelFeaturizer.Create(backbones, pipeline.Sessions);
        using var training = TrainingFeaturizer.Alone(featurizer, pipeline.Features);
        var cv = manifest.Metrics.CrossValidation;
        var head = LabelBalance.For(options, plan) with { L2Regularization = cv?.L2 ?? options.Head.L2Regularization };
        var mirror = cv?.Mirrored ?? options.CrossValidation.MirrorAugmentation;

        // Ordered by content, as the plan's parts are, so the CLI and the service fit the very same head.
        IReadOnlyList<Datasets.LabelledImage> all = [.. plan.Train.Concat(plan.Test).DistinctBy(i => i.Sha256)
            .OrderBy(i => i.Sha256, StringComparer.Ordinal)];
        var features = await training.FeaturizeAsync(all, ImageView.Original, progress, ct);
        // Training views include the mirror; otherwise the mirror alone, when cross-validation used it.
        var views = cv is { Views.Count: > 0 }
            ? new ViewFeatures(await training.FeaturizeViewsAsync(all, ImageViewGeometry.Augmenting, progress, ct),
                Train: true, Average: false)
            : null;
        var mirrored = mirror && views is null
            ? (await training.FeaturizeAsync(all, ImageView.Mirrored, progress, ct)).BySha256
            : null;
        var styleViews = cv is { StyleViews.Count: > 0 }
            ? await training.FeaturizeViewsAsync(all, cv.StyleViews, progress, ct)
            : null;
        var rows = all.Where(i => features.BySha256.ContainsKey(i.Sha256))
            .Select(i => (i.Sha256, new FeatureRow { Label = i.Label, Features = features.BySha256[i.Sha256] }))
            .ToList();

        var ml = new MLContext(seed: plan.Seed);
        // The gate head (head.zip until this refit replaces it) is the same problem on most of the same rows: a warm start.
        var start = head.Trainer == HeadTrainerKind.LbfgsMaximumEntropy
            ? await GateHeadStart.LoadAsync(folder, manifest, ml, ct)
            : null;
        var fitRows = ViewFeatures.FitRows(rows, mirrored, views);
        if (styleViews is not null) ViewFeatures.WithStyleViews(fitRows, rows, styleViews);
        var served = await Task.Run(() => HeadTrainer.Train(ml, fitRows, plan.Labels, featurizer.FeatureLength, head, start), ct);
        var report = new ServedHeadReport(rows.Count, head.L2Regularization, mirror, clock.Elapsed.TotalSeconds)
        {
            Views = [.. views?.TrainedViews ?? [], .. cv?.StyleViews ?? []],
        };
        await ModelArtifact.SaveServedHeadAsync(folder, manifest with { Metrics = manifest.Metrics with { ServedHead = report } },
            ml, served, ct);
        progress?.Report(new ProgressUpdate("refit", $"{manifest.Architecture}: every image", 1, 1));
        return report;
    }
}
