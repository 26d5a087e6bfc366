using Microsoft.Extensions.Options;
using Pipeline.Promotion;
using Pipeline.Registry;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Predict;

/// <summary>Services behind <c>POST /api/predict</c>: the hot-swappable serving model and the service that loads it.</summary>
public static class PredictionModule
{
    public static IServiceCollection AddPrediction(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PredictOptions>()
            .Bind(configuration.GetSection(PredictOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<PredictConcurrency>();
        services.AddSingleton<ServingModel>();
        services.AddSingleton<ModelServingService>();
        // Loading and polling current.json is for processes that serve; a worker-only process promotes by rewriting
        // current.json alone, and every web process picks that up by polling.
        var serves = ServiceRoles.From(configuration).Web;
        if (serves)
            services.AddHostedService(sp => sp.GetRequiredService<ModelServingService>());
        // Promotion is the pipeline's; a serving host lends it the serving swap.
        services.AddSingleton(sp => new ModelPromoter(sp.GetRequiredService<ModelRegistry>(), sp.GetRequiredService<PipelineEnvironment>(),
            sp.GetRequiredService<IOptions<PipelineOptions>>().Value.ToPromotionRule(),
            serves ? sp.GetRequiredService<ModelServingService>() : null));
        return services;
    }
}
