namespace Pipeline.Service.Access;

/// <summary>Local-only access with an optional admin key for the dashboard and mutating endpoints.</summary>
public static class AccessModule
{
    public static IServiceCollection AddAdminAccess(this IServiceCollection services) =>
        services.AddSingleton<AdminAccess>();

    public static IApplicationBuilder UseAdminAccess(this IApplicationBuilder app) =>
        app.UseMiddleware<AdminAccessMiddleware>();
}
