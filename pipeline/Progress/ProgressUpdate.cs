namespace Pipeline.Progress;

/// <summary>
/// One report of how far a long-running step has come. The CLI renders it as a bar, a Hangfire job on the dashboard.
/// </summary>
/// <param name="Stage">Short stage name: ingest, featurise, train, evaluate, promote.</param>
/// <param name="Detail">What is being worked on, e.g. the architecture.</param>
/// <param name="Done">Units finished so far.</param>
/// <param name="Total">Units in the stage, or 0 when unknown.</param>
public sealed record ProgressUpdate(string Stage, string Detail, long Done, long Total)
{
    public double Fraction => Total <= 0 ? 0 : Math.Clamp((double)Done / Total, 0, 1);
}
