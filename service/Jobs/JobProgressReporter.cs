using Pipeline.Progress;
using Pipeline.Service.Metrics;

namespace Pipeline.Service.Jobs;

/// <summary>
/// The job side of the pipeline's one progress abstraction: the <see cref="IProgress{T}"/> a job hands to the
/// pipeline, turned into stage, percent, images processed and ETA in the <see cref="JobProgressStore"/>. Reports are
/// applied synchronously (unlike <see cref="Progress{T}"/>) so the stored snapshot never goes backwards.
/// </summary>
public sealed class JobProgressReporter : IProgress<ProgressUpdate>
{
    private readonly JobProgressStore _store;
    private readonly PipelineMetrics? _metrics;
    private readonly Lock _lock = new();
    private JobProgress _current;
    private DateTimeOffset _stageStarted;
    // Where the current stage began, for its duration metric; _stageStarted restarts at each pass for the ETA.
    private DateTimeOffset _stageEntered;
    private long _stageStartDone;
    private long _lastDone;

    public JobProgressReporter(JobProgressStore store, string jobId, string kind, string? retrainId, int datasetVersion,
        string? architecture, PipelineMetrics? metrics = null)
    {
        _store = store;
        _metrics = metrics;
        var now = DateTimeOffset.UtcNow;
        _current = new JobProgress(jobId, kind, retrainId, datasetVersion, architecture, "running", "ingest", null, 0, 0, 0,
            null, now, now);
        _stageStarted = now;
        _stageEntered = now;
        store.Set(_current);
    }

    public JobProgress Current
    {
        get { lock (_lock) return _current; }
    }

    public void Report(ProgressUpdate value)
    {
        lock (_lock)
        {
            var now = DateTimeOffset.UtcNow;
            // Preparing a backbone is the first part of featurising, as far as a person watching is concerned.
            var stage = value.Stage == "prepare" ? "featurise" : value.Stage;
            // A new stage, or a new pass within one (ingestion validates every file, then stores the accepted ones):
            // the ETA is measured from here.
            if (stage != _current.Stage)
            {
                _metrics?.RecordStage(_current.Kind, _current.Stage, now - _stageEntered);
                _stageEntered = now;
            }

            if (stage != _current.Stage || value.Done < _lastDone)
            {
                _stageStarted = now;
                _stageStartDone = value.Done;
            }

            _lastDone = value.Done;
            var images = stage is "ingest" or "featurise" or "evaluate" && value.Stage != "prepare";
            _current = _current with
            {
                Stage = stage,
                Detail = value.Detail,
                Percent = Math.Round(value.Fraction * 100, 1),
                ImagesProcessed = images ? value.Done : _current.ImagesProcessed,
                ImagesTotal = images ? value.Total : _current.ImagesTotal,
                EtaSeconds = Eta(value, now),
                UpdatedUtc = now,
            };
            _store.Set(_current);
        }
    }

    /// <summary>Marks the job finished: succeeded, failed or exited, with a sentence for people.</summary>
    /// <param name="datasetVersion">The dataset version the job turned out to concern, when it was not known at the start
    /// (a drop's ingestion).</param>
    public void Finish(string state, string message, int? datasetVersion = null)
    {
        lock (_lock)
        {
            // The last stage ends with the job; only a finished one is a duration worth comparing.
            if (_current.State == "running" && state == "succeeded")
                _metrics?.RecordStage(_current.Kind, _current.Stage, DateTimeOffset.UtcNow - _stageEntered);
            _current = _current with
            {
                DatasetVersion = datasetVersion ?? _current.DatasetVersion,
                State = state,
                Message = message,
                EtaSeconds = state == "succeeded" ? 0 : null,
                Percent = state == "succeeded" ? 100 : _current.Percent,
                UpdatedUtc = DateTimeOffset.UtcNow,
            };
            _store.Set(_current);
        }
    }

    private double? Eta(ProgressUpdate value, DateTimeOffset now)
    {
        var done = value.Done - _stageStartDone;
        if (value.Total <= 0 || done <= 0) return null;
        var perUnit = (now - _stageStarted).TotalSeconds / done;
        return Math.Round(perUnit * Math.Max(0, value.Total - value.Done), 1);
    }
}
