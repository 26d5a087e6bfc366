using Pipeline.Retraining;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.Options;
using Pipeline.Service.Coordination;

namespace Pipeline.Service.Jobs;

/// <summary>
/// Deletes, with a reason, every job still marked Processing by a server that is neither this process's nor a live
/// peer's (<see cref="PeerServers"/>): it belonged to a process that died. With PostgreSQL such a job
/// would otherwise come back only after the invisibility timeout; <see cref="RetrainCoordinator.ResumeAsync"/>
/// re-creates the work from the retrain record at once. Part of <see cref="JobsStartup"/>, so it never holds up the
/// host's start, and each state change is bounded.
/// </summary>
public sealed class OrphanedJobSweeper(JobStorage storage, IBackgroundJobClient jobs, JobServerName server, PeerServers peers,
    IOptions<JobsOptions> options, ILogger<OrphanedJobSweeper> logger)
{
    public async Task SweepAsync(CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(options.Value.StartupCallSeconds);
        var (listed, found) = await BoundedStorageCall.RunAsync(
            () => (Jobs: storage.GetMonitoringApi().ProcessingJobs(0, 1000).ToList(), Live: peers.Live()), timeout, ct);
        if (!listed)
        {
            logger.LogError("Listing processing jobs did not finish within {Seconds} s; orphaned jobs are not replaced now " +
                            "and come back after the invisibility timeout", timeout.TotalSeconds);
            return;
        }

        var (processing, live) = found;
        foreach (var (id, job) in processing.Where(j => !server.Owns(j.Value.ServerId) && !live.Contains(j.Value.ServerId)))
        {
            var state = new DeletedState { Reason = $"orphaned by a stopped server ({job.ServerId}); the retrain resumes with new jobs" };
            // ChangeState takes the job's distributed lock; the bound keeps a lock nobody releases from stalling start-up.
            var (completed, deleted) = await BoundedStorageCall.RunAsync(
                () => jobs.ChangeState(id, state, ProcessingState.StateName), timeout, ct);
            if (!completed)
                logger.LogError("Job {JobId} of stopped server {ServerId} could not be replaced within {Seconds} s (its lock is held); " +
                                "it comes back after the invisibility timeout", id, job.ServerId, timeout.TotalSeconds);
            else if (deleted)
                logger.LogWarning("Job {JobId} was processing on a stopped server {ServerId}; replaced", id, job.ServerId);
        }
    }
}
