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
        services.AddPredictConcurrency();
        services.AddSingleton<ServingModel>();
        services.AddSingleton<ModelServingService>();
        // Loading and polling current.json is for processes that serve; a worker only promotes through the service.
        if (ServiceRoles.From(configuration).Web)
            services.AddHostedService(sp => sp.GetRequiredService<ModelServingService>());
        return services;
    }

    /// <summary>The rate limiting middleware behind <see cref="PredictConcurrency"/>; after routing, so endpoint policies apply.</summary>
    public static IApplicationBuilder UsePredictionLimits(this IApplicationBuilder app) => app.UseRateLimiter();
}
