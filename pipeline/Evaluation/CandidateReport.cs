namespace Pipeline.Evaluation;

/// <summary>
/// Everything measured about one trained candidate, as written to report.json and the model manifest. The test figures
/// (accuracies, log-loss, per-label metrics, confusion matrix) are those of the gate head, fitted on the train part
/// only (<see cref="TrainImages"/>), so they are held-out figures. The chosen candidate then serves a head refitted on
/// every image (<see cref="ServedHead"/>), which has no held-out figures.
/// </summary>
public sealed record CandidateReport
{
    public required string Architecture { get; init; }
    public required IReadOnlyList<string> Taps { get; init; }
    public required int FeatureLength { get; init; }
    /// <summary>The ML.NET trainer that fitted the head, by name (the report needs nothing else from training).</summary>
    public required string Trainer { get; init; }
    public required int TrainImages { get; init; }
    public required int TestImages { get; init; }
    public required double MicroAccuracy { get; init; }
    public required double MacroAccuracy { get; init; }
    public required double LogLoss { get; init; }
    public required int TopK { get; init; }
    public required double TopKAccuracy { get; init; }
    public required IReadOnlyList<ClassMetrics> PerClass { get; init; }
    public required ConfusionMatrix ConfusionMatrix { get; init; }

    /// <summary>Cross-validation on the train part, which chose this candidate's L2 and ranks it; null in old manifests.</summary>
    public CrossValidationReport? CrossValidation { get; init; }

    /// <summary>
    /// Whether this retrain kept the previous fit's choice instead of cross-validating again, and why; null when no
    /// previous fit of this candidate was found. When reused, <see cref="CrossValidation"/> is the previous figures.
    /// </summary>
    public IncrementalReuseReport? Reuse { get; init; }

    /// <summary>
    /// The head the model serves, refitted on the train and test parts after the choice; null when the served head is
    /// the gate head itself (a candidate that was not chosen, or a model from before refits).
    /// </summary>
    public ServedHeadReport? ServedHead { get; init; }

    /// <summary>
    /// Which head the test figures measure, written out so that a reader of <c>model.json</c> or <c>report.json</c>
    /// need not know: always the gate head (fitted on the <see cref="TrainImages"/> of the train part).
    /// </summary>
    public string TestFiguresHead => "gate";

    /// <summary>Wall time to featurise (cache misses only) and fit the head.</summary>
    public required double TrainSeconds { get; init; }

    /// <summary>Images per second through decode + resize + backbone, over images not already cached.</summary>
    public required double FeaturizeImagesPerSecond { get; init; }

    /// <summary>Images featurised in this run vs. found in the feature cache.</summary>
    public required int FeaturizedImages { get; init; }
    public required int CachedImages { get; init; }

    /// <summary>Bytes of the saved head plus the backbone ONNX files it needs.</summary>
    public required long ModelBytes { get; init; }

    /// <summary>Median single-image predict latency (decode, backbone, head) on test images, in milliseconds.</summary>
    public required double PredictLatencyMs { get; init; }

    public static CandidateReport From(string architecture, IReadOnlyList<string> taps, int featureLength,
        string trainer, int trainImages, ClassificationMetrics m, double trainSeconds,
        double featurizeImagesPerSecond, int featurized, int cached, long modelBytes, double latencyMs) => new()
    {
        Architecture = architecture, Taps = taps, FeatureLength = featureLength, Trainer = trainer,
        TrainImages = trainImages, TestImages = m.TestImages,
        MicroAccuracy = m.MicroAccuracy, MacroAccuracy = m.MacroAccuracy, LogLoss = m.LogLoss,
        TopK = m.TopK, TopKAccuracy = m.TopKAccuracy, PerClass = m.PerClass, ConfusionMatrix = m.ConfusionMatrix,
        TrainSeconds = trainSeconds, FeaturizeImagesPerSecond = featurizeImagesPerSecond,
        FeaturizedImages = featurized, CachedImages = cached, ModelBytes = modelBytes, PredictLatencyMs = latencyMs,
    };
}
