using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.Extensions.Options;
using Pipeline.Service.Dashboard;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Jobs;

/// <summary>Retraining: Hangfire storage, server and dashboard, the per-architecture jobs and their join, promotion.</summary>
public static class JobsModule
{
    private const string RecurringRetrainId = "retrain-latest";

    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>()
            .Bind(configuration.GetSection(JobsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var jobsOptions = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePipelineStorage(configuration, jobsOptions));

        // Retrain and candidate states read as names in /api/jobs, as they do in the records on disk.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSingleton<RetrainRecords>();
        services.AddSingleton<RetrainCancellations>();
        services.AddSingleton<JobProgressStore>();
        services.AddSingleton<RunningJobKeys>();
        services.AddSingleton<RetrainCoordinator>();
        services.AddTransient<RetrainJobs>();

        // Order matters: hosted services start in registration order, so orphans are swept before the server fetches.
        services.AddHostedService<OrphanedJobSweeper>();
        services.AddHangfireServer(o =>
        {
            o.WorkerCount = jobsOptions.WorkerCount;
            o.ServerName = $"pipeline-{Environment.MachineName}-{Environment.ProcessId}";
            o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        services.AddHostedService<RetrainTriggers>();
        return services;
    }

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<PipelineOptions>>().Value;
        var recurring = app.ServiceProvider.GetRequiredService<IRecurringJobManager>();
        if (string.IsNullOrWhiteSpace(options.RetrainCron))
            recurring.RemoveIfExists(RecurringRetrainId);
        else
            recurring.AddOrUpdate<RetrainJobs>(RecurringRetrainId, j => j.RecurringRetrainAsync(CancellationToken.None),
                options.RetrainCron);

        app.MapJobsApi();
        app.MapPipelineDashboard();
        return app;
    }
}
