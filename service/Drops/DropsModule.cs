using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pipeline.Datasets.Intake;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Drops;

/// <summary>Drop intake: the watched folder, <c>POST /api/drops</c>, validation, quarantine and dataset versions.</summary>
public static class DropsModule
{
    public static IServiceCollection AddDrops(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DropsOptions>()
            .Bind(configuration.GetSection(DropsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var paths = sp.GetRequiredService<PipelinePaths>();
            return new IntakeFolders(paths.Intake, paths.Processed, paths.Quarantine);
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DropsOptions>>().Value;
            return new DropIngestionOptions
            {
                Archive = new ArchiveLimits { MaxEntries = options.MaxArchiveEntries, MaxTotalBytes = options.MaxArchiveBytes },
                // The retrain's split rule, as configured: the drop's note promises what the retrain will do.
                Split = sp.GetRequiredService<IOptions<PipelineOptions>>().Value.ToRetrainOptions().Split,
            };
        });
        services.AddSingleton<DropRecords>();
        services.AddSingleton<DropReceiver>();
        services.AddSingleton<DropIngestor>();
        services.AddSingleton<IntakeReconciler>();
        services.AddSingleton<DropQueue>();
        services.AddSingleton<IntakeLease>();
        if (!ServiceRoles.From(configuration).Intake) return services;
        // Order matters at start-up: reconcile the intake area, then seed a first-run sample, then watch.
        services.AddHostedService<DropIngestionService>();
        services.AddHostedService<SampleDropSeeder>();
        services.AddHostedService<DropFolderWatcher>();
        return services;
    }

    public static IEndpointRouteBuilder MapDrops(this IEndpointRouteBuilder app) => app.MapDropsApi();
}
