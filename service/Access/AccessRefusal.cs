using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace Pipeline.Service.Access;

/// <summary>
/// Answers a refused request with 403 problem details that say why (cross-site, or not local and no key) instead of
/// the framework's bare 401/403. There is no login to be challenged into, so a missing key is a 403 too.
/// </summary>
public sealed class AccessRefusal(IProblemDetailsService problems, ILogger<AccessRefusal> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        if (result.Succeeded)
        {
            await _default.HandleAsync(next, context, policy, result);
            return;
        }

        // Asked again rather than read from the failure: a caller with no identity gets a bare Challenge result,
        // which carries no failure reasons.
        bool crossSite = SameOriginRequirement.IsCrossSite(context.Request);
        logger.LogWarning("Refused {Method} {Path} from {RemoteAddress}: {Reason}", context.Request.Method, context.Request.Path,
            context.Connection.RemoteIpAddress, crossSite ? "cross-site request" : "not local and no valid admin key");
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = crossSite
                ? new ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Title = "Cross-site request refused",
                    Detail = "This endpoint changes the service and answers requests from its own origin only; a page on " +
                             $"another site (Origin '{context.Request.Headers.Origin}') cannot use it. Call it directly (curl, " +
                             $"a script with header {AdminKeyAuthenticationHandler.KeyHeader}) or from the service's own pages.",
                }
                : new ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Title = "Local access only",
                    Detail = "This endpoint answers requests from this machine only, or requests with the configured admin key " +
                             $"(header {AdminKeyAuthenticationHandler.KeyHeader}; on the dashboard also the basic-auth password; " +
                             "setting Pipeline:AdminKey).",
                },
        });
    }
}
