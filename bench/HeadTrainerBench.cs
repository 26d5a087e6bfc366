using System.Diagnostics;
using Microsoft.ML;
using Pipeline.Datasets;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Training;
using static Pipeline.Bench.BenchFormat;

namespace Pipeline.Bench;

/// <summary>Section 6: the head trainers on the very same feature vectors: accuracy and fit time.</summary>
public static class HeadTrainerBench
{
    public static async Task<BenchSection> RunAsync(PipelineEnvironment environment, BenchSettings settings, TextWriter log,
        CancellationToken ct)
    {
        var images = await BenchImages.RealAsync(settings.WorkFolder, settings.HeadImagesPerLabel, ct);
        var split = StratifiedSplitter.Split(images, new SplitOptions { TestFraction = 0.25, Seed = 42 });
        if (!split.IsUsable) throw new PipelineException($"The head-trainer sample cannot be split: {split.Error}");
        var rows = new List<IReadOnlyList<string>>();
        foreach (var architecture in settings.Architectures)
        {
            var backbone = await environment.Backbones.PrepareAsync(architecture, ct: ct);
            FeatureSet features;
            using (var featurizer = new ImageFeaturizer(backbone, environment.Sessions))
                features = await featurizer.FeaturizeAsync([.. split.Train, .. split.Test], environment.Features, ct: ct);
            var train = Rows(split.Train, features);
            var test = Rows(split.Test, features);
            var length = backbone.Descriptor.FeatureLength;
            foreach (var kind in Enum.GetValues<HeadTrainerKind>())
            {
                var ml = new MLContext(seed: 42);
                var clock = Stopwatch.StartNew();
                var head = HeadTrainer.Train(ml, train, split.Labels, length, HeadOptions.Default with { Trainer = kind });
                var seconds = clock.Elapsed.TotalSeconds;
                var engine = ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(head, inputSchemaDefinition: HeadTrainer.SchemaFor(length));
                var m = ClassificationMetrics.Compute(split.Labels, test.Select(r => (r.Label, (float[]?)engine.Predict(r).Score.ToArray())).ToList());
                log.WriteLine($"head {architecture} {kind}: macro {m.MacroAccuracy:0.000} in {seconds:0.0} s");
                rows.Add([architecture, kind.ToString(), train.Count.ToString(), test.Count.ToString(), F(m.MicroAccuracy, "0.000"),
                    F(m.MacroAccuracy, "0.000"), F(m.LogLoss, "0.000"), F(seconds, "0.00")]);
            }
        }

        return new BenchSection("Head trainers on the same features",
            $"Distinct real openclipart images ({settings.HeadImagesPerLabel} per label, 8 labels), one seeded stratified " +
            "split (25 % test), features from the cache; each trainer with the pipeline's default `HeadOptions` " +
            $"(L2 {HeadOptions.Default.L2Regularization}, {HeadOptions.Default.MaximumIterations} iterations; LightGBM " +
            $"{HeadOptions.Default.LightGbmIterations} rounds, one thread). Fit time excludes featurisation.",
            [BenchTable.Of(["backbone", "trainer", "train", "test", "micro accuracy", "macro accuracy", "log-loss", "fit s"], rows)],
            []);
    }

    private static List<FeatureRow> Rows(IEnumerable<LabelledImage> images, FeatureSet features) =>
        images.Where(i => features.BySha256.ContainsKey(i.Sha256))
            .Select(i => new FeatureRow { Label = i.Label, Features = features.BySha256[i.Sha256] })
            .ToList();
}
