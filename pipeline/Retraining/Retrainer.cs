using System.Diagnostics;
using Pipeline.Backbones;
using Pipeline.Datasets;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Progress;
using Pipeline.Registry;
using Pipeline.Training;
using Pipeline.Storage;

namespace Pipeline.Retraining;

/// <summary>
/// The one orchestration of a retrain: images → seeded split and folds (<see cref="Plan"/>) → one candidate at a time
/// (<see cref="TrainCandidateAsync"/>: cross-validate, fit, score on the test part, time, save once) → the combined
/// candidate, the choice and the chosen one's refit on every image (<see cref="CompleteAsync"/>). The CLI runs the steps in one process (<see cref="TrainingRun"/>);
/// the service runs each candidate as its own job and the rest, then the promotion decision, in one evaluate job
/// (<see cref="RetrainSteps"/>). Neither decides anything these steps do not.
/// </summary>
public sealed class Retrainer(PipelineEnvironment pipeline, RetrainOptions options)
{
    private const int LatencySamples = 15;

    public RetrainOptions Options => options;

    public TrainingPlan Plan(IReadOnlyList<LabelledImage> images, string dataSource, int? datasetVersion = null) =>
        TrainingPlan.Create(images, options.Split, options.CrossValidation.Folds, dataSource, datasetVersion,
            options.CrossValidation.GroupFolds);

    /// <summary>
    /// Trains, measures and saves one candidate into <paramref name="folder"/> (written under a temporary name and
    /// renamed, manifest last). With <paramref name="reuseFinished"/>, a folder already complete (a retrain resumed
    /// after a crash) is reused as it is.
    /// </summary>
    /// <param name="crossValidation">The views settings this candidate compares; null: the retrain's, narrowed for a
    /// single backbone by <see cref="CandidateViewChoices.ForSingle"/>.</param>
    /// <param name="siblings">The retrain's architectures: those cut from the candidate's network are featurised with
    /// it, in one run (<see cref="TrainingFeaturizer"/>).</param>
    public async Task<CandidateReport> TrainCandidateAsync(string candidate, TrainingPlan plan, string folder,
        bool reuseFinished = false, IProgress<ProgressUpdate>? progress = null, CrossValidationOptions? crossValidation = null,
        IReadOnlyList<string>? siblings = null, CancellationToken ct = default)
    {
        if (!plan.Split.IsUsable) throw new PipelineException(plan.Split.Error);
        if (reuseFinished && File.Exists(Path.Combine(folder, ModelArtifact.ManifestFileName)))
            return ModelArtifact.ReadManifest(folder).Metrics;

        // A crash mid-save leaves ModelArtifact's staging folder beside the candidate's; nothing else writes this
        // candidate (one job per candidate), so a leftover is garbage.
        foreach (var stale in AtomicFile.TemporariesOf(folder).Where(Directory.Exists).ToList())
            Directory.Delete(stale, recursive: true);

        var reuse = new IncrementalReuse(options.IncrementalReuse, await ReadPreviousFitAsync(plan, candidate, ct));
        var fitted = await pipeline.CreateCandidateTrainer().FitAsync(candidate, plan, LabelBalance.For(options, plan),
            crossValidation ?? CandidateViewChoices.ForSingle(candidate, options.CrossValidation), reuse, progress, siblings, ct);
        var descriptors = fitted.Featurizer.Descriptors;
        var manifest = new ModelManifest
        {
            Architecture = candidate,
            Backbone = descriptors[0],
            ExtraBackbones = descriptors.Skip(1).ToList(),
            Labels = plan.Labels,
            TestTimeViews = fitted.CrossValidation.TestTimeAveraging ? ImageViewGeometry.WithOriginal : [],
            Metrics = null!, // set below, once measured; the in-memory model reads only labels and lengths
            Lineage = new ModelLineage
            {
                DataSource = plan.DataSource,
                DatasetVersion = plan.DatasetVersion,
                Seed = plan.Seed,
                TestFraction = plan.TestFraction,
                TrainImages = plan.Train.Select(i => i.Sha256).ToList(),
                TestImages = plan.Test.Select(i => i.Sha256).ToList(),
                Packages = PackageVersions.Current,
                CreatedUtc = DateTimeOffset.UtcNow,
            },
        };

        using var model = ClassifierModel.FromTrained(manifest, fitted.Featurizer, fitted.Ml, fitted.Head);
        progress?.Report(new ProgressUpdate("evaluate", candidate, 0, 1));
        var scores = await model.ScoreAsync(plan.Test, pipeline.Features, progress, ct);
        var latency = await MeasureLatencyAsync(model, plan.Test, ct);
        using var head = new MemoryStream();
        HeadTrainer.Save(fitted.Ml, fitted.Head, fitted.Featurizer.FeatureLength, head);
        var backboneBytes = fitted.Featurizer.Backbones.Sum(b => b.OnnxPath is null ? 0 : new FileInfo(b.OnnxPath).Length);

        var report = CandidateReport.From(candidate, descriptors.SelectMany(d => d.Taps.Select(t => t.Layer)).ToList(),
            fitted.Featurizer.FeatureLength, fitted.HeadOptions.Trainer.ToString(), fitted.TrainImages, scores.Metrics(), fitted.TrainSeconds,
            fitted.Features.ImagesPerSecond, fitted.Features.Computed, fitted.Features.FromCache,
            head.Length + backboneBytes, latency) with { CrossValidation = fitted.CrossValidation, Reuse = fitted.Reuse };
        await ModelArtifact.SaveAsync(folder, manifest with { Metrics = report }, fitted.Ml, fitted.Head,
            fitted.Featurizer.Backbones, ct);
        progress?.Report(new ProgressUpdate("evaluate", candidate, 1, 1));
        return report;
    }

    /// <summary>
    /// The combined candidate of the two best single backbones by cross-validation (raw pixels are not a backbone),
    /// or null when it is off or there are fewer than two.
    /// </summary>
    public string? CombinedCandidate(IReadOnlyList<CandidateReport> singles)
    {
        if (!options.CombineBest) return null;
        var best = singles
            .Where(c => c.CrossValidation is not null && c.Architecture != BackboneCatalog.RawPixels && !CandidateTrainer.IsCombined(c.Architecture))
            .OrderByDescending(c => c.CrossValidation!.MeanMacroAccuracy).ThenBy(c => c.Architecture, StringComparer.Ordinal)
            .Take(2).Select(c => c.Architecture).ToList();
        return best.Count == 2 ? CandidateTrainer.CombinedName(best) : null;
    }

    /// <summary>
    /// After the single candidates: trains the combined candidate <paramref name="name"/> (see
    /// <see cref="CombinedCandidate"/>; its backbones' features are cached by then, so it costs head fits only). Where
    /// its parts' view gates agreed it takes their answer (<see cref="CandidateViewChoices.ForCombined"/>).
    /// </summary>
    public Task<CandidateReport> TrainCombinedAsync(string name, TrainingPlan plan, IReadOnlyList<CandidateReport> singles,
        Func<string, string> folderOf, bool reuseFinished = false, IProgress<ProgressUpdate>? progress = null,
        CancellationToken ct = default)
    {
        var parts = CandidateTrainer.ArchitecturesOf(name)
            .Select(a => singles.FirstOrDefault(s => s.Architecture == a)?.CrossValidation)
            .ToList();
        var crossValidation = parts.Any(p => p is null)
            ? options.CrossValidation
            : CandidateViewChoices.ForCombined(options.CrossValidation, parts.Select(p => p!).ToList());
        return TrainCandidateAsync(name, plan, folderOf(name), reuseFinished, progress, crossValidation, ct: ct);
    }

    /// <summary>Chooses among every candidate by the selection rule (cross-validated macro accuracy first).</summary>
    public CandidateSelection Choose(IReadOnlyList<CandidateReport> candidates) =>
        CandidateSelector.Choose(candidates, options.Selection);

    /// <summary>
    /// After the single candidates, in one process (the CLI): the combined candidate, if any, then the choice among all.
    /// The service runs the same two steps with its record updated between them (<see cref="RetrainSteps"/>).
    /// </summary>
    public async Task<(IReadOnlyList<CandidateReport> Candidates, CandidateSelection Selection)> CompleteAsync(TrainingPlan plan,
        IReadOnlyList<CandidateReport> singles, Func<string, string> folderOf, IProgress<ProgressUpdate>? progress = null,
        CancellationToken ct = default)
    {
        var all = singles.ToList();
        if (CombinedCandidate(singles) is { } combined)
            all.Add(await TrainCombinedAsync(combined, plan, singles, folderOf, progress: progress, ct: ct));
        var selection = await RefitChosenAsync(plan, Choose(all), folderOf, progress, ct);
        var best = selection.Best;
        return (all.Select(c => c.Architecture == best.Architecture ? best : c).ToList(), selection);
    }

    /// <summary>
    /// Refits the chosen candidate on every image to serve (<see cref="ServedHeadRefitter"/>); the selection's best then
    /// carries <see cref="CandidateReport.ServedHead"/>. Idempotent: a folder that already has its served head keeps it.
    /// </summary>
    public async Task<CandidateSelection> RefitChosenAsync(TrainingPlan plan, CandidateSelection selection,
        Func<string, string> folderOf, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var best = selection.Best.Architecture;
        var served = await new ServedHeadRefitter(pipeline, options).RefitAsync(plan, folderOf(best), progress, ct);
        return selection with { Best = selection.Best with { ServedHead = served } };
    }

    /// <summary>
    /// The architectures a retrain trains: <paramref name="named"/>, or the catalog's offline default set when none are
    /// named. The CLI's <c>--architectures</c> and the service's <c>Pipeline:Architectures</c> both mean this.
    /// </summary>
    public IReadOnlyList<string> ArchitecturesOrDefault(IReadOnlyList<string>? named) =>
        named is { Count: > 0 } ? named : pipeline.Backbones.Catalog.OfflineDefaults;

    /// <summary>
    /// The first complete fit of <paramref name="candidate"/> in the plan's previous candidate folders (newest first), or
    /// null. It is read before this fit replaces it (the CLI writes to the same folder). A folder that cannot be read is
    /// passed over: it only costs the reuse, never the retrain.
    /// </summary>
    private static async Task<PreviousFit?> ReadPreviousFitAsync(TrainingPlan plan, string candidate, CancellationToken ct)
    {
        foreach (var parent in plan.PreviousCandidateFolders)
        {
            var folder = Path.Combine(parent, candidate);
            if (!File.Exists(Path.Combine(folder, ModelArtifact.ManifestFileName))) continue;
            try
            {
                var manifest = ModelArtifact.ReadManifest(folder);
                var gate = manifest.Metrics.Trainer == nameof(HeadTrainerKind.LbfgsMaximumEntropy)
                    ? await GateHeadStart.LoadAsync(folder, manifest, new Microsoft.ML.MLContext(seed: plan.Seed), ct)
                    : null;

                return new PreviousFit
                {
                    Folder = folder,
                    FeatureKeys = manifest.AllBackbones().Select(b => b.FeatureKey).ToList(),
                    Labels = manifest.Labels,
                    Seed = manifest.Lineage.Seed,
                    TestFraction = manifest.Lineage.TestFraction,
                    TrainImages = manifest.Lineage.TrainImages,
                    CrossValidatedTrainImages = manifest.Metrics.Reuse is { Reused: true } reused
                        ? reused.CrossValidatedTrainImages
                        : manifest.Lineage.TrainImages.Count,
                    Trainer = manifest.Metrics.Trainer,
                    CrossValidation = manifest.Metrics.CrossValidation,
                    GateHead = gate,
                };
            }
            catch (PipelineException)
            {
                // Unreadable or not a linear head: look further back.
            }
        }

        return null;
    }

    /// <summary>Median single-image predict latency (decode, backbone, head) of the in-memory model, on test images.</summary>
    private static async Task<double> MeasureLatencyAsync(ClassifierModel model, IReadOnlyList<LabelledImage> test, CancellationToken ct)
    {
        var samples = new List<byte[]>();
        foreach (var image in test.Take(LatencySamples)) samples.Add(await File.ReadAllBytesAsync(image.Path, ct));
        if (samples.Count == 0) return 0;
        var timings = new List<double>(samples.Count);
        for (var i = -1; i < samples.Count; i++)
        {
            // i = -1 is the warm-up: the first run pays for ONNX Runtime's lazy initialisation.
            var bytes = samples[Math.Max(i, 0)];
            var started = Stopwatch.GetTimestamp();
            try
            {
                model.Predict(bytes, cancellationToken: ct);
            }
            catch (Features.ImageRejectedException)
            {
                continue;
            }

            if (i >= 0) timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        if (timings.Count == 0) return 0;
        timings.Sort();
        return timings[timings.Count / 2];
    }
}
