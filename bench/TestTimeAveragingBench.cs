using System.Text.Json;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Registry;
using Pipeline.Retraining;
using Pipeline.Storage;
using Pipeline.Training;
using static Pipeline.Bench.BenchFormat;
using static Pipeline.Bench.BenchTiming;

namespace Pipeline.Bench;

/// <summary>
/// Section 8: what test-time averaging costs a single predict. One model, loaded twice: as trained (the original view
/// only) and with <see cref="ModelManifest.TestTimeViews"/> set (the same head, its four views run as one batch). Each
/// held-out image goes through both in turn, so both medians come from the same minutes of a shared machine.
/// </summary>
public static class TestTimeAveragingBench
{
    /// <summary>The limit: predict p50 with averaging at most 1.5 x today's.</summary>
    private const double Target = 1.5;

    public static async Task<BenchSection> RunAsync(PipelineEnvironment environment, BenchSettings settings, TextWriter log,
        CancellationToken ct)
    {
        var images = await BenchImages.RealAsync(settings.WorkFolder, settings.HeadImagesPerLabel, ct);
        var split = StratifiedSplitter.Split(images, new SplitOptions { TestFraction = 0.25, Seed = 42 });
        if (!split.IsUsable) throw new PipelineException($"The sample cannot be split: {split.Error}");
        var bodies = split.Test.Select(i => File.ReadAllBytes(i.Path)).ToList();
        var rows = new List<IReadOnlyList<string>>();
        var findings = new List<string>();
        foreach (var architecture in settings.Architectures)
        {
            var folder = Path.Combine(settings.WorkFolder, $"tta-{architecture}");
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            var retrainer = new Retrainer(environment, new RetrainOptions
            {
                CrossValidation = new CrossValidationOptions { TrainingViews = ViewChoice.Off, TestTimeAveraging = ViewChoice.Off },
            });
            var plan = retrainer.Plan([.. split.Train, .. split.Test], "bench");
            await retrainer.TrainCandidateAsync(architecture, plan, Path.Combine(folder, "plain"), ct: ct);
            var averaged = Path.Combine(folder, "averaged");
            Directory.CreateDirectory(averaged);
            foreach (var file in Directory.EnumerateFiles(Path.Combine(folder, "plain")))
                File.Copy(file, Path.Combine(averaged, Path.GetFileName(file)));
            var manifest = ModelArtifact.ReadManifest(averaged) with { TestTimeViews = ImageViewGeometry.WithOriginal };
            await File.WriteAllTextAsync(Path.Combine(averaged, ModelArtifact.ManifestFileName),
                JsonSerializer.Serialize(manifest, PipelineJson.Options), ct);

            using var plain = await ClassifierModel.LoadAsync(Path.Combine(folder, "plain"), null, environment.Sessions, ct);
            using var tta = await ClassifierModel.LoadAsync(averaged, null, environment.Sessions, ct);
            plain.Predict(bodies[0], cancellationToken: ct);
            tta.Predict(bodies[0], cancellationToken: ct); // warm-up: ORT's first runs at batch 1 and batch 4
            var requests = settings.ImagesFor(architecture, settings.ServingRequests);
            var plainMs = new List<double>(requests);
            var ttaMs = new List<double>(requests);
            for (var i = 0; i < requests; i++)
            {
                var body = bodies[i % bodies.Count];
                plainMs.Add(Milliseconds(() => plain.Predict(body, cancellationToken: ct)));
                ttaMs.Add(Milliseconds(() => tta.Predict(body, cancellationToken: ct)));
            }

            var (p50, t50) = (Median(plainMs), Median(ttaMs));
            log.WriteLine($"tta {architecture}: predict p50 {p50:0.0} ms, with averaging {t50:0.0} ms");
            rows.Add([architecture, requests.ToString(), F(p50), F(t50), Verdict(t50 / p50, Target, false)]);
            if (!Met(t50 / p50, Target, false))
                findings.Add($"{architecture}: averaging over {ImageViewGeometry.WithOriginal.Count} views costs {Ratio(t50 / p50)} × the p50 " +
                             "of a single-view predict: the backbone runs four images, and the machine's cores are already busy with one.");
        }

        return new BenchSection("Test-time averaging",
            "In process: `ClassifierModel.Predict` (decode, backbone, head) of one model loaded as trained and with test-time " +
            "averaging over its four views (original, mirrored, content ×0.75, ×1.3: one batch of four through the backbone), " +
            "each held-out image of the real openclipart sample through both in turn.",
            [BenchTable.Of(["backbone", "images", "p50 ms", "p50 ms averaged", "averaged ÷ plain"], rows)],
            findings);
    }
}
