using System.Diagnostics;
using Pipeline.Evaluation;
using Pipeline.Retraining;
using Pipeline.Training;
using static Pipeline.Bench.BenchFormat;

namespace Pipeline.Bench;

/// <summary>
/// Section 3: a retrain after 5 % new images (the rest already in the feature cache) over a full retrain from an empty
/// feature cache, through <see cref="TrainingRun"/> as <c>train</c> runs it and through <see cref="CandidateTrainer"/> on
/// validated images as the service's retrain job runs it.
/// </summary>
public static class IncrementalRetrainBench
{
    private const double Target = 0.15;

    public static async Task<BenchSection> RunAsync(PipelineEnvironment environment, BenchSettings settings, TextWriter log,
        CancellationToken ct)
    {
        var rows = new List<IReadOnlyList<string>>();
        var findings = new List<string>();
        foreach (var architecture in settings.Architectures)
        {
            var count = settings.RetrainImages;
            var dataset = AugmentedDataset.Build(settings.WorkFolder, count, ct: ct);
            var images = await BenchImages.ScanAsync(dataset, ct);
            var backbone = await environment.Backbones.PrepareAsync(architecture, ct: ct);
            var root = Path.Combine(settings.WorkFolder, $"retrain-{architecture}");
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
            // The 5 % new images: the cache a training on the other 95 % would have left is the full run's cache
            // without their vectors. Equal, file for file, to running that training first, at a fraction of the time.
            var newImages = images.OrderBy(i => i.Sha256, StringComparer.Ordinal)
                .Where((_, i) => i % (int)Math.Round(1 / settings.RetrainNewFraction) == 0).ToList();

            var before = images.Where(i => !newImages.Contains(i)).ToList();
            var beforeFolder = SubsetFolder(dataset, before, Path.Combine(settings.WorkFolder, "retrain-before"));

            // Two paths: the CLI's `train`, which scans (hashes and validates) the folder every time, and the service's
            // retrain job, whose images were validated once at ingestion and come from the dataset store. Each runs into
            // an output that first held a fit on the images before the drop (untimed), as a retrain after a drop does, so
            // the incremental run may reuse that fit's choice (IncrementalReuse); the full run has no previous fit.
            var paths = new (string Name, Func<string, bool, Task<Timed>> Run)[]
            {
                ("train (CLI: scan + TrainingRun)", (folder, beforeDrop) =>
                    TimedRunAsync(environment, architecture, beforeDrop ? beforeFolder : dataset, folder, ct)),
                ("retrain job (stored images: CandidateTrainer)", (folder, beforeDrop) =>
                    TimedJobAsync(environment, architecture, beforeDrop ? before : images, dataset, folder, ct)),
            };
            foreach (var (name, run) in paths)
            {
                var pathRoot = Path.Combine(root, name.Split(' ')[0]);
                var full = await run(Path.Combine(pathRoot, "full"), false);
                var incrementalRoot = Path.Combine(pathRoot, "incremental");
                CopyFolder(Path.Combine(pathRoot, "full", "features"), Path.Combine(incrementalRoot, "features"));
                var keyFolder = Path.Combine(incrementalRoot, "features", backbone.Descriptor.FeatureKey);
                foreach (var image in newImages)
                    File.Delete(Path.Combine(keyFolder, image.Sha256[..2], image.Sha256 + ".f32"));

                await run(incrementalRoot, true); // the previous retrain, before the drop: not timed
                var incremental = await run(incrementalRoot, false);
                var ratio = incremental.Seconds / full.Seconds;
                var reuse = incremental.Candidate.Reuse;
                log.WriteLine($"retrain {architecture} {name} {images.Count}: full {full.Seconds:0.0} s, +{newImages.Count} new {incremental.Seconds:0.0} s, " +
                              $"ratio {ratio:0.00}; {reuse?.Reason ?? "no previous fit"}");
                rows.Add([architecture, name, images.Count.ToString(), newImages.Count.ToString(),
                    F(full.Seconds), $"{full.Candidate.FeaturizedImages} / {full.Candidate.CachedImages}", F(full.Candidate.CrossValidation?.Seconds ?? 0),
                    F(incremental.Seconds), $"{incremental.Candidate.FeaturizedImages} / {incremental.Candidate.CachedImages}",
                    reuse is { Reused: true } ? $"yes (L2 {incremental.Candidate.CrossValidation?.L2})" : "no",
                    F(incremental.HeadSeconds), Verdict(ratio, Target, false)]);
                if (reuse is not { Reused: true })
                    findings.Add($"{architecture}, {name}: the previous choice was not reused: {reuse?.Reason ?? "no previous fit found"}.");
                if (!Met(ratio, Target, false))
                {
                    findings.Add($"{architecture}, {name}: the incremental retrain takes {Ratio(ratio)} of the full one. What does " +
                                 "not shrink with the cache: the final fit on all " +
                                 $"{full.Candidate.TrainImages} training images, evaluating and saving, the saved model's latency check" +
                                 (name.StartsWith("train", StringComparison.Ordinal) ? ", the served head's refit on every image and scanning/hashing every file" : "") +
                                 $": {F(incremental.HeadSeconds)} s here, {Ratio(incremental.HeadSeconds / full.Seconds)} of the full " +
                                 "retrain on its own.");
                }
            }
        }

        return new BenchSection("Incremental retrain",
            "A dataset of augmented real openclipart images (random crops, mirrored half the time, re-encoded as JPEG so every " +
            "file hashes differently; 8 labels). Full: a retrain with an empty feature cache. Incremental: the same retrain after " +
            "5 % of the images were new, i.e. with the cache holding the vectors of the other 95 %. Two paths: `train` on the " +
            "command line (`TrainingRun`: scan and hash the folder, split, featurise, L-BFGS head, evaluate, save, latency " +
            "check) and the service's retrain job (`CandidateTrainer` on the dataset store's already validated images: the " +
            "same minus the scan). The incremental retrain runs into an output that holds the fit before the drop, so it may keep " +
            "that fit's L2 instead of cross-validating (IncrementalReuse: at most 10 % new train images, same labels); the full " +
            "one has no previous fit and searches the L2 grid. Head + rest = wall time not spent featurising.",
            [BenchTable.Of(["backbone", "path", "images", "new", "full retrain s", "featurised / cached", "full: cross-validation s",
                "incremental s", "featurised / cached", "previous L2 reused", "incremental: head + rest s", "incremental ÷ full"], rows)],
            findings);
    }

    private sealed record Timed(double Seconds, CandidateReport Candidate, double HeadSeconds);

    /// <summary>`train` as the CLI runs it: scan the folder, split, one candidate.</summary>
    private static Task<Timed> TimedRunAsync(PipelineEnvironment environment, string architecture, string dataset,
        string folder, CancellationToken ct) =>
        TimedAsync(environment, folder, async scoped =>
        {
            var report = await scoped.CreateTrainingRun().RunAsync(new TrainingRunOptions
            {
                DataFolder = dataset,
                OutputFolder = Path.Combine(folder, "run"),
                Architectures = [architecture],
            }, ct: ct);
            return report.Candidates[0];
        });

    /// <summary>A candidate as the service's retrain job trains it: already validated images, split, one candidate.</summary>
    private static Task<Timed> TimedJobAsync(PipelineEnvironment environment, string architecture,
        IReadOnlyList<Datasets.LabelledImage> images, string dataset, string folder, CancellationToken ct) =>
        TimedAsync(environment, folder, async scoped =>
        {
            var retrainer = new Retrainer(scoped, new RetrainOptions());
            // The candidate folder of the previous retrain is this one's previous fit, as the CLI's --out is.
            var candidates = Path.Combine(folder, "candidates");
            var plan = retrainer.Plan(images, dataset) with { PreviousCandidateFolders = [candidates] };
            return await retrainer.TrainCandidateAsync(architecture, plan, Path.Combine(candidates, architecture), ct: ct);
        });

    /// <summary>Times one retrain with its own feature cache under <paramref name="folder"/>.</summary>
    private static async Task<Timed> TimedAsync(PipelineEnvironment environment, string folder,
        Func<PipelineEnvironment, Task<CandidateReport>> retrain)
    {
        var scoped = PipelineEnvironment.Create(environment.DataRoot, backbonesRoot: environment.Backbones.Root,
            featuresRoot: Path.Combine(folder, "features"), sessions: environment.Sessions);
        var clock = Stopwatch.StartNew();
        var c = await retrain(scoped);
        clock.Stop();
        var featurising = c.FeaturizeImagesPerSecond > 0 ? c.FeaturizedImages / c.FeaturizeImagesPerSecond : 0;
        return new Timed(clock.Elapsed.TotalSeconds, c, clock.Elapsed.TotalSeconds - featurising);
    }

    /// <summary>A folder of <paramref name="images"/> only (hard links where possible), as the dataset looked before the drop.</summary>
    private static string SubsetFolder(string dataset, IReadOnlyList<Datasets.LabelledImage> images, string destination)
    {
        if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
        foreach (var image in images)
        {
            var target = Path.Combine(destination, Path.GetRelativePath(dataset, image.Path));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(image.Path, target);
        }

        return destination;
    }

    private static void CopyFolder(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
