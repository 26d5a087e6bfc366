using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Pipeline.Backbones;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Images;
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
    private readonly MLContext _ml;
    private readonly ITransformer _head;
    private readonly bool _ownsFeaturizer;

    private ClassifierModel(string folder, ModelManifest manifest, ModelFeaturizer featurizer, MLContext ml, ITransformer head,
        bool ownsFeaturizer = true)
    {
        Folder = folder;
        Manifest = manifest;
        _featurizer = featurizer;
        _ml = ml;
        _head = head;
        _ownsFeaturizer = ownsFeaturizer;
        var schema = HeadTrainer.SchemaFor(manifest.HeadInputLength());
        _heads = new DefaultObjectPool<PredictionEngine<FeatureRow, HeadScores>>(
            new HeadEnginePolicy(() => ml.Model.CreatePredictionEngine<FeatureRow, HeadScores>(head, inputSchemaDefinition: schema)),
            Environment.ProcessorCount * 4);
    }

    public string Folder { get; }
    public ModelManifest Manifest { get; }
    public IReadOnlyList<string> Labels => Manifest.Labels;

    /// <summary>
    /// Loads a model folder. Its own backbones are used, each checked against the SHA-256 the model pins; a folder written
    /// before models carried their backbone finds it in <paramref name="backbones"/> (prepared if needed) instead.
    /// </summary>
    /// <param name="backbones">Only needed for folders without a backbone inside; may be null otherwise.</param>
    public static async Task<ClassifierModel> LoadAsync(string folder, BackboneStore? backbones,
        BackboneSessionOptions? options = null, CancellationToken ct = default)
    {
        var manifest = ModelArtifact.ReadManifest(folder);
        var prepared = await ModelArtifact.LoadBackbonesAsync(folder, manifest, backbones, ct);
        var ml = new MLContext(seed: manifest.Lineage.Seed);
        var head = await ModelArtifact.LoadHeadAsync(folder, ml, ct: ct);
        var featurizer = ModelFeaturizer.Create(prepared, options);
        try
        {
            // A loaded model is about to serve: its first request should not wait for the sessions.
            featurizer.OpenSessions();
        }
        catch
        {
            featurizer.Dispose();
            throw;
        }

        return new ClassifierModel(Path.GetFullPath(folder), manifest, featurizer, ml, head);
    }

    /// <summary>
    /// The same model read through its gate head (<see cref="ModelHead.Gate"/>: fitted on the train part only), which
    /// every held-out comparison uses; a folder with one head, or a model not yet saved, is its own gate. The view
    /// shares this model's featuriser: dispose it before this model.
    /// </summary>
    public async Task<ClassifierModel> LoadGateViewAsync(CancellationToken ct = default)
    {
        var head = Folder.Length > 0 && File.Exists(Path.Combine(Folder, ModelArtifact.GateHeadFileName))
            ? await ModelArtifact.LoadHeadAsync(Folder, _ml, ModelHead.Gate, ct)
            : _head;
        return new ClassifierModel(Folder, Manifest, _featurizer, _ml, head, ownsFeaturizer: false);
    }

    /// <summary>
    /// A model just trained, before it is saved: scored and timed in memory, so that a model is measured once and
    /// written once. Takes ownership of <paramref name="featurizer"/>. <see cref="Folder"/> is empty.
    /// </summary>
    public static ClassifierModel FromTrained(ModelManifest manifest, ModelFeaturizer featurizer, MLContext ml, ITransformer head) =>
        new("", manifest, featurizer, ml, head);

    /// <param name="limits">Decoding limits for this call (a server may be stricter than training); null: the defaults.</param>
    /// <param name="cancellationToken">Stops decoding a large image midway (a client that went away).</param>
    /// <exception cref="ImageRejectedException">The bytes are not a usable image.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while decoding.</exception>
    public Prediction Predict(ReadOnlySpan<byte> encodedImage, int topK = 3, ImageLimits? limits = null,
        CancellationToken cancellationToken = default) =>
        ToPrediction(Manifest.TestTimeViews.Count > 0
            ? ScoreViews(_featurizer.FeaturizeViews(encodedImage, Manifest.TestTimeViews, limits, cancellationToken))
            : Score(_featurizer.Featurize(encodedImage, limits, cancellationToken)), topK);

    /// <summary>
    /// One probability per label for an image's views (<see cref="ModelManifest.TestTimeViews"/>, in that order): the
    /// mean of each view's probabilities.
    /// </summary>
    public float[] ScoreViews(IReadOnlyList<float[]> views) => ClassificationMetrics.MeanOf(views.Select(Score).ToList());

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

    public void Dispose()
    {
        if (_ownsFeaturizer) _featurizer.Dispose();
    }

    private sealed class HeadEnginePolicy(Func<PredictionEngine<FeatureRow, HeadScores>> create)
        : PooledObjectPolicy<PredictionEngine<FeatureRow, HeadScores>>
    {
        public override PredictionEngine<FeatureRow, HeadScores> Create() => create();
        public override bool Return(PredictionEngine<FeatureRow, HeadScores> obj) => true;
    }
}
