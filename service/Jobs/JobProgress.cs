namespace Pipeline.Service.Jobs;

/// <summary>
/// A snapshot of one job as shown by <c>GET /api/jobs/{id}</c> and the dashboard's Progress page.
/// </summary>
/// <param name="JobId">Hangfire's job id; <c>drop-&lt;id&gt;</c> for a drop's ingestion, which is not a Hangfire job.</param>
/// <param name="Kind"><c>candidate</c> (featurise + train one architecture), <c>evaluate</c> (evaluate and promote) or
/// <c>ingest</c> (validate and store a drop).</param>
/// <param name="RetrainId">The retrain the job belongs to; null for ingestion.</param>
/// <param name="DatasetVersion">The version trained on, or for ingestion the version the drop made (0 until then or without one).</param>
/// <param name="State">running, succeeded, failed or exited (nothing to do: superseded, already done, another copy runs it).</param>
/// <param name="Stage">ingest, featurise, train, evaluate or promote.</param>
/// <param name="Percent">Of the current stage, 0 to 100.</param>
/// <param name="EtaSeconds">Estimated time left in the current stage, from its rate so far; null when unknown.</param>
public sealed record JobProgress(
    string JobId,
    string Kind,
    string? RetrainId,
    int DatasetVersion,
    string? Architecture,
    string State,
    string Stage,
    string? Detail,
    double Percent,
    long ImagesProcessed,
    long ImagesTotal,
    double? EtaSeconds,
    DateTimeOffset StartedUtc,
    DateTimeOffset UpdatedUtc,
    string? Message = null);
