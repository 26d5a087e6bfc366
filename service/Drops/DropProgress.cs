using Pipeline.Datasets.Intake;
using Pipeline.Service.Jobs;
using Pipeline.Service.Metrics;

namespace Pipeline.Service.Drops;

/// <summary>
/// A drop's ingestion as a job in the <see cref="JobProgressStore"/> (<c>GET /api/jobs/drop-&lt;id&gt;</c>, the Progress
/// page): stage <c>ingest</c>, files validated then images stored, and an ETA. Kept after it ends, like other jobs.
/// </summary>
public static class DropProgress
{
    public const string Kind = "ingest";
    private const string Prefix = "drop-";

    public static string JobIdOf(string dropId) => Prefix + dropId;

    public static string DropIdOf(string jobId) => jobId.StartsWith(Prefix, StringComparison.Ordinal) ? jobId[Prefix.Length..] : jobId;

    public static JobProgressReporter Start(JobProgressStore store, string dropId, PipelineMetrics? metrics = null) =>
        new(store, JobIdOf(dropId), Kind, retrainId: null, datasetVersion: 0, architecture: null, metrics);

    /// <summary>Ingested: succeeded; Rejected: failed with the reason (nothing usable came of it).</summary>
    public static void Finish(JobProgressReporter reporter, DropRecord record)
    {
        if (record.State == DropState.Rejected)
            reporter.Finish("failed", $"rejected: {record.Reason}", record.DatasetVersion);
        else
            reporter.Finish("succeeded",
                $"{record.Accepted} accepted, {record.Duplicates} duplicates, {record.Rejected} rejected" +
                (record.DatasetVersion is { } v ? $", dataset version {v}" : $" ({record.Reason})"), record.DatasetVersion);
    }
}
