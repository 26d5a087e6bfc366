using OpenTelemetry.Metrics;
using Pipeline.Service.Access;

namespace Pipeline.Service.Metrics;

/// <summary>
/// OpenTelemetry metrics for operators, exported in Prometheus' text format at <c>/metrics</c>: the service's own
/// instruments (<see cref="PipelineMetrics"/>, <see cref="PipelineGauges"/>) and ASP.NET Core's request metrics.
/// Reading them takes what the dashboard takes (<see cref="AccessModule.AdminPolicy"/>).
/// </summary>
public static class MetricsModule
{
    public const string Path = "/metrics";

    public static IServiceCollection AddPipelineMetrics(this IServiceCollection services)
    {
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton<PipelineGauges>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PipelineMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting")
            .AddPrometheusExporter());
        return services;
    }

    public static IEndpointRouteBuilder MapPipelineMetrics(this IEndpointRouteBuilder app)
    {
        // The gauges register their callbacks when built; build them before the first scrape.
        app.ServiceProvider.GetRequiredService<PipelineGauges>();
        app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(AccessModule.AdminPolicy);
        return app;
    }
}
