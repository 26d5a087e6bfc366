using Hangfire;
using Microsoft.Extensions.Options;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Jobs;

/// <summary>
/// Adds, updates or removes the recurring job <c>retrain-latest</c> (<c>Pipeline:RetrainCron</c>). Both calls take the
/// recurring job's distributed lock, so this is start-up work with a bound, not something done while the app is built.
/// </summary>
public sealed class RecurringRetrainRegistration(IRecurringJobManager recurring, IOptions<PipelineOptions> pipeline,
    IOptions<JobsOptions> options, ILogger<RecurringRetrainRegistration> logger)
{
    public const string RecurringRetrainId = "retrain-latest";

    public async Task ApplyAsync(CancellationToken ct)
    {
        var cron = pipeline.Value.RetrainCron;
        var timeout = TimeSpan.FromSeconds(options.Value.StartupCallSeconds);
        var (completed, _) = await BoundedStorageCall.RunAsync(() =>
        {
            if (string.IsNullOrWhiteSpace(cron))
                recurring.RemoveIfExists(RecurringRetrainId);
            else
                recurring.AddOrUpdate<RetrainJobs>(RecurringRetrainId, j => j.RecurringRetrainAsync(CancellationToken.None), cron);
            return true;
        }, timeout, ct);
        if (!completed)
            logger.LogError("Registering the recurring job {RecurringJobId} did not finish within {Seconds} s; it keeps its " +
                            "previous schedule until the next start", RecurringRetrainId, timeout.TotalSeconds);
    }
}
