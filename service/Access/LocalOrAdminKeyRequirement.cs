using System.Net;
using Microsoft.AspNetCore.Authorization;

namespace Pipeline.Service.Access;

/// <summary>
/// A guarded request must come from this machine (loopback) or be authenticated with the admin key
/// (<see cref="AdminKeyAuthenticationHandler"/>). Behind a reverse proxy every request looks local: configure an admin
/// key and forwarded headers before exposing the service.
/// </summary>
public sealed class LocalOrAdminKeyRequirement : AuthorizationHandler<LocalOrAdminKeyRequirement>, IAuthorizationRequirement
{
    public const string FailureMessage = "not local";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, LocalOrAdminKeyRequirement requirement)
    {
        if (context.Resource is not HttpContext http || !GuardedRequests.IsGuarded(http.Request) || IsLocal(http) ||
            context.User.Identities.Any(i => i.AuthenticationType == AdminKeyAuthenticationHandler.SchemeName && i.IsAuthenticated))
            context.Succeed(requirement);
        else
            context.Fail(new AuthorizationFailureReason(this, FailureMessage));
        return Task.CompletedTask;
    }

    // No remote address means an in-process caller (TestServer, a named pipe): not the network.
    private static bool IsLocal(HttpContext http) =>
        http.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote);
}
