using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Access;

/// <summary>
/// Who may use the dashboard and the mutating endpoints: requests from this machine (loopback), and requests that
/// present <c>Pipeline:AdminKey</c> as header <c>X-Api-Key</c> or as the password of HTTP basic auth. With no key
/// configured, only loopback.
/// </summary>
public sealed class AdminAccess(IOptions<PipelineOptions> options)
{
    public const string KeyHeader = "X-Api-Key";

    public bool IsAllowed(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress;
        // No remote address means an in-process caller (TestServer, a named pipe): not the network.
        if (remote is null || IPAddress.IsLoopback(remote)) return true;
        return options.Value.AdminKey is { Length: > 0 } key && PresentedKeys(context.Request).Any(k => Matches(k, key));
    }

    private static IEnumerable<string> PresentedKeys(HttpRequest request)
    {
        foreach (var header in request.Headers[KeyHeader])
            if (!string.IsNullOrEmpty(header)) yield return header;

        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) yield break;
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            yield break;
        }

        var colon = decoded.IndexOf(':');
        if (colon >= 0) yield return decoded[(colon + 1)..];
    }

    private static bool Matches(string presented, string key) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));
}
