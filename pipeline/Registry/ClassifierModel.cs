using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Pipeline.Backbones;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Training;

namespace Pipeline.Registry;

/// <summary>
/// A loaded model, ready to predict from many threads at once: the ONNX Runtime session is thread-safe and shared;
/// ML.NET's PredictionEngine is not, so heads are pooled, one per concurrent caller.
/// </summary>
public sealed class ClassifierModel : IDisposable
{
    private readonly ModelFeaturizer _featurizer;
    private readonly ObjectPool<PredictionEngine<FeatureRow, HeadScores>> _heads;

    private ClassifierModel(string folder, ModelManifest manifest, ModelFeaturizer featurizer, MLContext ml, ITransformer head)
    {
        Folder = folder;
        Manifest = manifest;
        _featurizer = featurizer;
        var schema = HeadTrainer.SchemaFor(manifest.HeadInputLength());
        _heads = new DefaultObjectPool<PredictionEngine<FeatureRow, HeadScores>>(
            new HeadEnginePolicy(() => ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(head, inputSchemaDefinition: schema)),
            Environment.ProcessorCount * 4);
    }

    public string Folder { get; }
    public ModelManifest Manifest { get; }
    public IReadOnlyList<string> Labels => Manifest.Labels;

    /// <summary>Loads a model folder, preparing its backbone if needed and checking it is the very one trained on.</summary>
    public static async Task<ClassifierModel> LoadAsync(string folder, BackboneStore backbones,
        BackboneSessionOptions? options = null, CancellationToken ct = default)
    {
        var manifest = ModelArtifact.ReadManifest(folder);
        var prepared = new List<PreparedBackbone>();
        foreach (var pinned in manifest.AllBackbones())
        {
            var backbone = backbones.TryFind(pinned.Name, pinned.Taps.Select(t => t.Layer).ToList())
                           ?? await backbones.PrepareAsync(pinned.Name, pinned.Taps.Select(t => t.Layer).ToList(), ct: ct);
            if (backbone.Descriptor.Sha256 != pinned.Sha256 || backbone.Descriptor.FeatureLength != pinned.FeatureLength)
                throw new PipelineException(
                    $"Model {folder} was trained on {pinned.Name} with SHA-256 {pinned.Sha256}, but the prepared backbone has " +
                    $"{backbone.Descriptor.Sha256}. Prepare the same backbone version or retrain.");
            prepared.Add(backbone);
        }

        var ml = new MLContext(seed: manifest.Lineage.Seed);
        ITransformer head;
        try
        {
            await using var stream = File.OpenRead(Path.Combine(folder, ModelArtifact.HeadFileName));
            head = ml.Model.Load(stream, out _);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or IOException)
        {
            throw new PipelineException($"Model {folder} is corrupt: {ModelArtifact.HeadFileName} cannot be loaded ({e.Message}).", e);
        }

        return new ClassifierModel(Path.GetFullPath(folder), manifest, ModelFeaturizer.Create(prepared, options), ml, head);
    }

    /// <summary>
    /// A model just trained, before it is saved: scored and timed in memory, so that a model is measured once and
    /// written once. Takes ownership of <paramref name="featurizer"/>. <see cref="Folder"/> is empty.
    /// </summary>
    public static ClassifierModel FromTrained(ModelManifest manifest, ModelFeaturizer featurizer, MLContext ml, ITransformer head) =>
        new("", manifest, featurizer, ml, head);

    /// <exception cref="ImageRejectedException">The bytes are not a usable image.</exception>
    public Prediction Predict(ReadOnlySpan<byte> encodedImage, int topK = 3) =>
        ToPrediction(Score(_featurizer.Featurize(encodedImage)), topK);

    /// <summary>Predicts several images with one backbone call.</summary>
    public IReadOnlyList<Prediction> PredictBatch(IReadOnlyList<byte[]> encodedImages, int topK = 3) =>
        _featurizer.FeaturizeBatch(encodedImages).Select(f => ToPrediction(Score(f), topK)).ToList();

    /// <summary>One probability per label (in <see cref="Labels"/> order) for a feature vector.</summary>
    public float[] Score(float[] features)
    {
        var engine = _heads.Get();
        try
        {
            return engine.Predict(new FeatureRow { Features = features }).Score.ToArray();
        }
        finally
        {
            _heads.Return(engine);
        }
    }

    internal ModelFeaturizer Featurizer => _featurizer;

    private Prediction ToPrediction(float[] scores, int topK)
    {
        var top = scores.Select((s, i) => new LabelScore(Labels[i], s))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Label, StringComparer.Ordinal)
            .Take(Math.Clamp(topK, 1, Labels.Count)).ToList();
        var best = ClassificationMetrics.ArgMax(scores);
        return new Prediction(Labels[best], scores[best], top);
    }

    public void Dispose() => _featurizer.Dispose();

    private sealed class HeadEnginePolicy(Func<PredictionEngine<FeatureRow, HeadScores>> create)
        : PooledObjectPolicy<PredictionEngine<FeatureRow, HeadScores>>
    {
        public override PredictionEngine<FeatureRow, HeadScores> Create() => create();
        public override bool Return(PredictionEngine<FeatureRow, HeadScores> obj) => true;
    }
}
