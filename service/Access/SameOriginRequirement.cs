using Microsoft.AspNetCore.Authorization;

namespace Pipeline.Service.Access;

/// <summary>
/// Refuses a guarded request that a browser sent on behalf of another site: an <c>Origin</c> other than this request's
/// own <c>scheme://host:port</c>, or <c>Sec-Fetch-Site</c> <c>cross-site</c> or <c>same-site</c>. Without either header
/// (curl, API clients) the request is not a browser's cross-site one, and the other requirements decide.
/// </summary>
/// <remarks>
/// Loopback trust alone lets any page open in a browser on this machine post to the service (a no-cors <c>fetch</c>
/// needs no preflight); so does a browser's cached basic-auth credential. Browsers always send <c>Origin</c> on
/// cross-origin POSTs and, since 2020, <c>Sec-Fetch-Site</c> on every request, which no page can forge. <c>same-site</c>
/// is refused too: another port on localhost is the same site but a different program.
/// </remarks>
public sealed class SameOriginRequirement : AuthorizationHandler<SameOriginRequirement>, IAuthorizationRequirement
{
    public const string FailureMessage = "cross-site";

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SameOriginRequirement requirement)
    {
        if (context.Resource is not HttpContext http || !GuardedRequests.IsGuarded(http.Request) || !IsCrossSite(http.Request))
            context.Succeed(requirement);
        else
            context.Fail(new AuthorizationFailureReason(this, FailureMessage));
        return Task.CompletedTask;
    }

    public static bool IsCrossSite(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Equals("cross-site", StringComparison.OrdinalIgnoreCase) ||
            fetchSite.Equals("same-site", StringComparison.OrdinalIgnoreCase))
            return true;

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false;
        // "null" (sandboxed frames, file: pages) and anything unparsable are not this origin.
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)) return true;
        var own = new Uri($"{request.Scheme}://{request.Host.Value}");
        return !(uri.Scheme.Equals(own.Scheme, StringComparison.OrdinalIgnoreCase) &&
                 uri.Host.Equals(own.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == own.Port);
    }
}
