using System.Text.Json.Serialization;
using Hangfire;
using Microsoft.Extensions.Options;
using Pipeline.Datasets.Store;
using Pipeline.Retraining;
using Pipeline.Service.Dashboard;
using Pipeline.Service.Hosting;
using Pipeline.Service.Coordination;

namespace Pipeline.Service.Jobs;

/// <summary>Retraining: Hangfire storage, server and dashboard, the per-architecture jobs and their join, promotion.</summary>
public static class JobsModule
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobsOptions>()
            .Bind(configuration.GetSection(JobsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var jobsOptions = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();

        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseLogProvider(new HangfireLogProvider(provider.GetRequiredService<ILoggerFactory>()))
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePipelineStorage(configuration, jobsOptions));

        // Retrain and candidate states read as names in /api/jobs, as they do in the records on disk.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSingleton(sp => new RetrainRecords(sp.GetRequiredService<PipelinePaths>().Jobs,
            sp.GetRequiredService<DataRootLocks>().For("retrain-records")));
        services.AddSingleton<RetrainCancellations>();
        services.AddSingleton<IRetrainJobQueue, HangfireRetrainJobQueue>();
        services.AddSingleton<JobProgressStore>();
        services.AddSingleton<RunningJobKeys>();
        services.AddSingleton(sp => new Retrainer(sp.GetRequiredService<PipelineEnvironment>(),
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value.ToRetrainOptions()));
        services.AddSingleton(sp =>
        {
            var retrainer = sp.GetRequiredService<Retrainer>();
            return new RetrainCoordinator(sp.GetRequiredService<DatasetStore>(), sp.GetRequiredService<RetrainRecords>(),
                sp.GetRequiredService<RetrainCancellations>(), sp.GetRequiredService<IRetrainJobQueue>(), retrainer,
                retrainer.ArchitecturesOrDefault(sp.GetRequiredService<IOptions<PipelineOptions>>().Value.Architectures),
                // Across processes: every worker's triggers and the web's POST /api/retrain may request the same version.
                sp.GetRequiredService<DataRootLocks>().For("retrain-coordinator"),
                sp.GetRequiredService<ILogger<RetrainCoordinator>>());
        });
        services.AddSingleton<RetrainSteps>();
        services.AddTransient<RetrainJobs>();
        var serverName = JobServerName.ForThisProcess(jobsOptions.WorkerName);
        services.AddSingleton(serverName);
        services.AddSingleton(HangfirePostgresTarget.From(configuration));
        services.AddSingleton<DataRootLocks>();
        services.AddSingleton<PeerServers>();
        services.AddSingleton<OrphanedJobSweeper>();
        services.AddSingleton<RecurringRetrainRegistration>();
        services.AddSingleton<JobsStartup>();

        // Order matters: hosted services start in registration order. Stale lock rows of a dead process go before this
        // process's server (or anything else) takes a lock; the rest of the start-up storage work runs in the
        // background (JobsStartup), so the host listens whatever the storage does, and retrains resume after it.
        services.AddHostedService<StaleLockCleaner>();
        var roles = ServiceRoles.From(configuration);
        if (roles.Worker)
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = jobsOptions.WorkerCount;
                o.ServerName = serverName.Value;
                o.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                o.HeartbeatInterval = TimeSpan.FromSeconds(jobsOptions.HeartbeatSeconds);
            });
        // Retrains are requested where versions are committed (intake) and where they are trained (workers, whose
        // rescan notices a version any intake committed); a web-only process requests them by POST /api/retrain.
        if (!roles.Worker && !roles.Intake) return services;
        services.AddHostedService(sp => sp.GetRequiredService<JobsStartup>());
        services.AddHostedService<RetrainTriggers>();
        return services;
    }

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app)
    {
        // The recurring retrain is registered by JobsStartup: it takes a distributed lock, which must not be waited
        // on while the app is being built.
        app.MapJobsApi();
        app.MapPipelineDashboard();
        return app;
    }
}
