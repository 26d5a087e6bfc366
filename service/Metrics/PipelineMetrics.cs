using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Service.Metrics;

/// <summary>
/// The service's own instruments, on one <see cref="Meter"/> named <see cref="MeterName"/> that OpenTelemetry exports
/// at <c>/metrics</c> (see <see cref="MetricsModule"/>). The parts of the service record into it; gauges that are a
/// state rather than an event (queue depth, the serving version) are observed at scrape time by
/// <see cref="PipelineGauges"/>.
/// </summary>
/// <remarks>Tags are small closed sets (an outcome, a stage, a model version), so the number of series stays bounded.</remarks>
public sealed class PipelineMetrics
{
    public const string MeterName = "Pipeline.Service";

    private readonly Counter<long> _predictRequests;
    private readonly Histogram<double> _predictDuration;
    private readonly Counter<long> _drops;
    private readonly Histogram<double> _retrainDuration;
    private readonly Histogram<double> _stageDuration;

    public PipelineMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _predictRequests = Meter.CreateCounter<long>("pipeline.predict.requests", "{request}",
            "Predict requests by the model version that answered and the outcome.");
        _predictDuration = Meter.CreateHistogram<double>("pipeline.predict.duration", "s",
            "Time to answer a predict request, from the image read to the labels, by model version and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _drops = Meter.CreateCounter<long>("pipeline.drops", "{drop}", "Drops that finished ingestion, by outcome.");
        _retrainDuration = Meter.CreateHistogram<double>("pipeline.retrain.duration", "s",
            "A retrain from its request to its decision, by outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200] });
        _stageDuration = Meter.CreateHistogram<double>("pipeline.stage.duration", "s",
            "One stage of a job (ingest, featurise, train, evaluate, ...), by job kind and stage.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] });
    }

    /// <summary>The meter itself, for the gauges observed at scrape time.</summary>
    public Meter Meter { get; }

    /// <param name="modelVersion">The version that answered; null when none was serving.</param>
    /// <param name="outcome"><c>ok</c>, <c>rejected</c> (not a usable image or a bad request), <c>unavailable</c>
    /// (no model), <c>cancelled</c> (the client went away) or <c>error</c>.</param>
    public void RecordPredict(int? modelVersion, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "model_version", modelVersion?.ToString() ?? "none" }, { "outcome", outcome } };
        _predictRequests.Add(1, tags);
        _predictDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <param name="outcome"><c>ingested</c>, <c>rejected</c> or <c>failed</c>.</param>
    public void RecordDrop(string outcome) => _drops.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="outcome"><c>promoted</c>, <c>not_promoted</c> or <c>failed</c>.</param>
    public void RecordRetrain(string outcome, TimeSpan elapsed) =>
        _retrainDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", outcome));

    public void RecordStage(string kind, string stage, TimeSpan elapsed) =>
        _stageDuration.Record(elapsed.TotalSeconds, new TagList { { "kind", kind }, { "stage", stage } });
}
