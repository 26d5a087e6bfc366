using System.Diagnostics;
using Microsoft.ML;
using Pipeline.Backbones;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Progress;
using Pipeline.Registry;

namespace Pipeline.Training;

/// <summary>
/// Trains and evaluates one architecture: prepare the backbone, featurise (through the cache), fit the head on the
/// train split, score the test split, save the model folder, and measure single-image latency from the saved model.
/// </summary>
public sealed class CandidateTrainer(BackboneStore backbones, FeatureCache cache, BackboneSessionOptions? sessionOptions = null)
{
    private const int LatencySamples = 15;

    public async Task<TrainedCandidate> TrainAsync(string architecture, TrainingRequest request, string modelFolder,
        IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var backbone = await backbones.PrepareAsync(architecture, request.Taps, progress, ct);
        var clock = Stopwatch.StartNew();

        FeatureSet features;
        using (var featurizer = new ImageFeaturizer(backbone, sessionOptions))
            features = await featurizer.FeaturizeAsync([.. request.Train, .. request.Test], cache, progress, ct);

        progress?.Report(new ProgressUpdate("train", architecture, 0, 1));
        var train = Rows(request.Train, features);
        if (train.Select(r => r.Label).Distinct().Count() < 2)
            throw new PipelineException($"{architecture}: fewer than two labels have usable training images.");
        var ml = new MLContext(seed: request.Seed);
        var descriptor = backbone.Descriptor;
        var head = await Task.Run(() => HeadTrainer.Train(ml, train, request.Labels, descriptor.FeatureLength, request.Head), ct);
        clock.Stop();
        progress?.Report(new ProgressUpdate("train", architecture, 1, 1));

        progress?.Report(new ProgressUpdate("evaluate", architecture, 0, 1));
        var test = Rows(request.Test, features);
        var engine = ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(head,
            inputSchemaDefinition: HeadTrainer.SchemaFor(descriptor.FeatureLength));
        var metrics = ClassificationMetrics.Compute(request.Labels,
            test.Select(r => (r.Label, engine.Predict(r).Score.ToArray())).ToList());

        var taps = descriptor.Taps.Select(t => t.Layer).ToList();
        var provisional = CandidateReport.From(architecture, taps, descriptor.FeatureLength, request.Head.Trainer,
            train.Count, metrics, clock.Elapsed.TotalSeconds, features.ImagesPerSecond, features.Computed,
            features.FromCache, 0, 0);
        var manifest = new ModelManifest
        {
            Architecture = architecture,
            Backbone = descriptor,
            Labels = request.Labels,
            Metrics = provisional,
            Lineage = new ModelLineage
            {
                DataSource = request.DataSource,
                DatasetVersion = request.DatasetVersion,
                Seed = request.Seed,
                TestFraction = request.TestFraction,
                TrainImages = request.Train.Select(i => i.Sha256).Order(StringComparer.Ordinal).ToList(),
                TestImages = request.Test.Select(i => i.Sha256).Order(StringComparer.Ordinal).ToList(),
                Packages = PackageVersions.Current,
                CreatedUtc = DateTimeOffset.UtcNow,
            },
        };

        await ModelArtifact.SaveAsync(modelFolder, manifest, ml, head, backbone, ct);
        var latency = await MeasureLatencyAsync(modelFolder, request, ct);
        var report = provisional with { ModelBytes = ModelBytes(modelFolder, backbone), PredictLatencyMs = latency };
        // The manifest is rewritten with the measured size and latency; the head file itself does not change.
        await ModelArtifact.SaveAsync(modelFolder, manifest with { Metrics = report }, ml, head, backbone, ct);
        progress?.Report(new ProgressUpdate("evaluate", architecture, 1, 1));
        return new TrainedCandidate(report, modelFolder);
    }

    private static List<FeatureRow> Rows(IEnumerable<Datasets.LabelledImage> images, FeatureSet features) =>
        images.Where(i => features.BySha256.ContainsKey(i.Sha256))
            .Select(i => new FeatureRow { Label = i.Label, Features = features.BySha256[i.Sha256] })
            .ToList();

    private async Task<double> MeasureLatencyAsync(string modelFolder, TrainingRequest request, CancellationToken ct)
    {
        using var model = await ClassifierModel.LoadAsync(modelFolder, backbones, sessionOptions, ct);
        var samples = request.Test.Take(LatencySamples).Select(i => File.ReadAllBytes(i.Path)).ToList();
        if (samples.Count == 0) return 0;
        model.Predict(samples[0]); // warm-up: the first run pays for ONNX Runtime's lazy initialisation
        var timings = new List<double>(samples.Count);
        foreach (var bytes in samples)
        {
            var started = Stopwatch.GetTimestamp();
            model.Predict(bytes);
            timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        timings.Sort();
        return timings[timings.Count / 2];
    }

    private static long ModelBytes(string modelFolder, PreparedBackbone backbone) =>
        new FileInfo(Path.Combine(modelFolder, ModelArtifact.HeadFileName)).Length
        + (backbone.OnnxPath is null ? 0 : new FileInfo(backbone.OnnxPath).Length);
}
