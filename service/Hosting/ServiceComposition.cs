using Microsoft.Extensions.Options;
using Pipeline.Datasets.Store;
using Pipeline.Registry;
using Pipeline.Service.Access;
using Pipeline.Service.Datasets;
using Pipeline.Service.Drops;
using Pipeline.Service.Health;
using Pipeline.Service.Jobs;
using Pipeline.Service.Metrics;
using Pipeline.Service.Models;
using Pipeline.Service.Predict;
using Pipeline.Service.Web;

namespace Pipeline.Service.Hosting;

/// <summary>Wires the service's parts: shared pipeline objects here, each area's own services in its module.</summary>
public static class ServiceComposition
{
    public static WebApplicationBuilder AddPipelineService(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddShippedAppSettings(builder.Environment.EnvironmentName);
        var services = builder.Services;
        services.AddOptions<PipelineOptions>()
            .Bind(builder.Configuration.GetSection(PipelineOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.GetSection(PipelineOptions.Section).Get<PipelineOptions>() ?? new PipelineOptions();
        var paths = new PipelinePaths(Path.IsPathRooted(options.DataRoot)
            ? options.DataRoot
            : Path.Combine(builder.Environment.ContentRootPath, options.DataRoot));
        services.AddSingleton(paths);
        services.AddSingleton(_ => PipelineEnvironment.Create(paths.DataRoot,
            backbonesRoot: options.BackbonesFolder, featuresRoot: options.FeatureCacheFolder, trimMargins: options.TrimMargins));
        services.AddSingleton(_ => new DatasetStore(paths.Datasets));
        services.AddSingleton(_ => new ModelRegistry(paths.Models));
        services.AddSingleton(ServiceRoles.From(builder.Configuration));

        services.AddProblemDetails();
        services.AddExceptionHandler<StorageExceptionHandler>();
        services.AddOpenApi();
        services.AddPrediction(builder.Configuration);
        services.AddDrops(builder.Configuration);
        services.AddJobs(builder.Configuration);
        services.AddAdminAccess();
        services.AddPipelineHealthChecks();
        services.AddPipelineMetrics();
        services.AddSingleton<ModelDetailsReader>();
        services.AddSingleton<ModelMistakes>();
        services.AddDatasets();
        services.AddWebUi(builder.Configuration);
        return builder;
    }

    public static WebApplication MapPipelineService(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAdminAccess();
        // The API, the dashboard and health (which is about serving a model) are the web role's; a worker or intake
        // process listens but maps nothing.
        if (app.Services.GetRequiredService<ServiceRoles>() is { Web: true } roles)
        {
            app.MapOpenApi();
            app.MapPredictApi();
            app.MapModelsApi();
            app.MapModelDetailsApi();
            app.MapModelExportApi();
            app.MapDatasetsApi();
            if (roles.Intake) app.MapDrops();
            app.MapJobs();
            app.MapPipelineHealth();
            app.MapPipelineMetrics();
            app.MapWebUi();
        }
        return app;
    }
}
