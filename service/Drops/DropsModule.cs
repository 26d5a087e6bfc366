namespace Pipeline.Service.Drops;

/// <summary>Drop intake: the watched folder, <c>POST /api/drops</c>, validation, quarantine and dataset versions.</summary>
public static class DropsModule
{
    public static IServiceCollection AddDrops(this IServiceCollection services, IConfiguration configuration) => services;

    public static IEndpointRouteBuilder MapDrops(this IEndpointRouteBuilder app) => app;
}
