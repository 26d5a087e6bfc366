using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Pipeline.Service.Access;

/// <summary>
/// Access with the framework's parts: an authentication handler for the admin key, and one authorization policy
/// (same origin + local or admin key) that is both the fallback policy, so every endpoint added later is covered, and
/// the dashboard's endpoint policy. <see cref="GuardedRequests"/> says which requests it applies to.
/// </summary>
public static class AccessModule
{
    public const string AdminPolicy = "Admin";

    public static IServiceCollection AddAdminAccess(this IServiceCollection services)
    {
        services.AddAuthentication(AdminKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyAuthenticationHandler>(AdminKeyAuthenticationHandler.SchemeName, null);
        var admin = new AuthorizationPolicyBuilder()
            .AddRequirements(new SameOriginRequirement(), new LocalOrAdminKeyRequirement())
            .Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, admin)
            .SetFallbackPolicy(admin);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AccessRefusal>();
        return services;
    }

    /// <summary>Authentication then authorization; after routing (implicit in a WebApplication) so endpoint policies apply.</summary>
    public static IApplicationBuilder UseAdminAccess(this IApplicationBuilder app) =>
        app.UseAuthentication().UseAuthorization();
}
