using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Access;

/// <summary>
/// Authenticates a caller that presents <c>Pipeline:AdminKey</c>: header <c>X-Api-Key</c> anywhere, or the password of
/// HTTP basic auth on the dashboard only. No key configured, or no key presented: no identity (not a failure; loopback
/// callers need none).
/// </summary>
/// <remarks>
/// Basic auth is not accepted for the API: a browser caches basic credentials and attaches them to every request to
/// the host, including ones a page on another site makes it send, whereas API clients (curl, scripts) can set a header.
/// The dashboard keeps basic auth because a browser navigation cannot set a header; the cross-site check
/// (<see cref="SameOriginRequirement"/>) is what keeps cached credentials from being ridden there.
/// </remarks>
public sealed class AdminKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory loggers,
    UrlEncoder encoder, IOptions<PipelineOptions> pipeline)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggers, encoder)
{
    public const string SchemeName = "AdminKey";
    public const string KeyHeader = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (pipeline.Value.AdminKey is not { Length: > 0 } key || PresentedKey(Request) is not { } presented)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!Matches(presented, key))
            return Task.FromResult(AuthenticateResult.Fail("The admin key presented is wrong."));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[KeyHeader].FirstOrDefault(h => !string.IsNullOrEmpty(h)) is { } header) return header;
        if (!GuardedRequests.IsDashboard(request)) return null;

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            var colon = decoded.IndexOf(':');
            return colon >= 0 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool Matches(string presented, string key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
