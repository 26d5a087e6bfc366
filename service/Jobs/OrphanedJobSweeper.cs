using Hangfire;
using Hangfire.States;

namespace Pipeline.Service.Jobs;

/// <summary>
/// Runs before the Hangfire server starts: every job still marked Processing then belongs to a process that died
/// (one service process owns a data root and its Hangfire schema). With PostgreSQL such a job would otherwise come
/// back only after the invisibility timeout; it is deleted here with a reason, and
/// <see cref="RetrainCoordinator.ResumeAsync"/> re-creates the work from the retrain record at once.
/// </summary>
public sealed class OrphanedJobSweeper(JobStorage storage, IBackgroundJobClient jobs, ILogger<OrphanedJobSweeper> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var monitoring = storage.GetMonitoringApi();
        foreach (var (id, job) in monitoring.ProcessingJobs(0, 1000))
        {
            var deleted = jobs.ChangeState(id,
                new DeletedState { Reason = $"orphaned by a stopped server ({job.ServerId}); the retrain resumes with new jobs" },
                ProcessingState.StateName);
            if (deleted) logger.LogWarning("Job {JobId} was processing on a stopped server {ServerId}; replaced", id, job.ServerId);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
