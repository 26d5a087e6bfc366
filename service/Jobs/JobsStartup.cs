namespace Pipeline.Service.Jobs;

/// <summary>
/// The jobs' start-up work against Hangfire's storage: replace jobs orphaned by a dead process, then register the
/// recurring retrain. It runs in the background so that the host starts (and listens) whatever the storage does;
/// <see cref="RetrainTriggers"/> waits for <see cref="Completion"/> before it resumes retrains.
/// </summary>
public sealed class JobsStartup(OrphanedJobSweeper sweeper, RecurringRetrainRegistration recurring, ILogger<JobsStartup> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the start-up work is done (or gave up, with a logged reason).</summary>
    public Task Completion => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await sweeper.SweepAsync(stoppingToken);
            await recurring.ApplyAsync(stoppingToken);
            logger.LogInformation("Jobs start-up work done");
            _done.TrySetResult();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            _done.TrySetCanceled(stoppingToken);
        }
        catch (Exception e)
        {
            // Storage unreachable, say: retrains resume anyway (enqueueing will tell whether storage is back).
            logger.LogError(e, "Jobs start-up work failed; resuming retrains without it");
            _done.TrySetResult();
        }
    }
}
