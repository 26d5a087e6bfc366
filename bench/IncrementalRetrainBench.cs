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

            // Two paths: the CLI's `train`, which scans (hashes and validates) the folder every time, and the service's
            // retrain job, whose images were validated once at ingestion and come from the dataset store.
            var paths = new (string Name, Func<string, Task<Timed>> Run)[]
            {
                ("train (CLI: scan + TrainingRun)", folder => TimedRunAsync(environment, architecture, dataset, folder, ct)),
                ("retrain job (stored images: CandidateTrainer)", folder => TimedJobAsync(environment, architecture, images, dataset, folder, ct)),
            };
            foreach (var (name, run) in paths)
            {
                var pathRoot = Path.Combine(root, name.Split(' ')[0]);
                var full = await run(Path.Combine(pathRoot, "full"));
                var incrementalRoot = Path.Combine(pathRoot, "incremental");
                CopyFolder(Path.Combine(pathRoot, "full", "features"), Path.Combine(incrementalRoot, "features"));
                var keyFolder = Path.Combine(incrementalRoot, "features", backbone.Descriptor.FeatureKey);
                foreach (var image in newImages)
                    File.Delete(Path.Combine(keyFolder, image.Sha256[..2], image.Sha256 + ".f32"));

                var incremental = await run(incrementalRoot);
                var ratio = incremental.Seconds / full.Seconds;
                log.WriteLine($"retrain {architecture} {name} {images.Count}: full {full.Seconds:0.0} s, +{newImages.Count} new {incremental.Seconds:0.0} s, ratio {ratio:0.00}");
                rows.Add([architecture, name, images.Count.ToString(), newImages.Count.ToString(),
                    F(full.Seconds), $"{full.Candidate.FeaturizedImages} / {full.Candidate.CachedImages}",
                    F(incremental.Seconds), $"{incremental.Candidate.FeaturizedImages} / {incremental.Candidate.CachedImages}",
                    F(incremental.HeadSeconds), Verdict(ratio, Target, false)]);
                if (!Met(ratio, Target, false))
                {
                    var cv = CrossValidationOptions.Default;
                    findings.Add($"{architecture}, {name}: the incremental retrain takes {Ratio(ratio)} of the full one. What does " +
                                 $"not shrink with the cache: fitting the head, {cv.Folds} folds x {cv.L2Grid.Count} L2 values of " +
                                 $"cross-validation and the final fit on all {full.Candidate.TrainImages} training images, " +
                                 "evaluating and saving, the saved model's latency check" +
                                 (name.StartsWith("train", StringComparison.Ordinal) ? " and scanning/hashing every file" : "") +
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
            "same minus the scan). Head + rest = wall time not spent featurising.",
            [BenchTable.Of(["backbone", "path", "images", "new", "full retrain s", "featurised / cached", "incremental s",
                "featurised / cached", "incremental: head + rest s", "incremental ÷ full"], rows)],
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
            var plan = retrainer.Plan(images, dataset);
            return await retrainer.TrainCandidateAsync(architecture, plan, Path.Combine(folder, "model"), ct: ct);
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
