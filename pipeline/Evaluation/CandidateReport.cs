namespace Pipeline.Evaluation;

/// <summary>Everything measured about one trained candidate, as written to report.json and the model manifest.</summary>
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
