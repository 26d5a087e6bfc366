namespace Pipeline.Service.Jobs;

/// <summary>Retraining: Hangfire storage, server and dashboard, the per-architecture jobs and their join, promotion.</summary>
public static class JobsModule
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapJobs(this IEndpointRouteBuilder app) => app;
}
