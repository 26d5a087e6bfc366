using Pipeline.Service.Dashboard;
using Pipeline.Service.Metrics;

namespace Pipeline.Service.Access;

/// <summary>
/// Which requests need admin access: every request to the dashboard or to its metrics (<c>/metrics</c>), and every
/// mutating <c>/api/*</c> request except <c>POST /api/predict</c>. Reads and predictions stay open to everyone.
/// </summary>
public static class GuardedRequests
{
    /// <summary>The operators' views: the Hangfire dashboard and the Prometheus scrape, which takes basic auth as the dashboard does
    /// (a Prometheus <c>basic_auth</c> block).</summary>
    public static bool IsDashboard(HttpRequest request) =>
        request.Path.StartsWithSegments(DashboardModule.Path) || request.Path.StartsWithSegments(MetricsModule.Path);

    public static bool IsGuarded(HttpRequest request)
    {
        if (IsDashboard(request)) return true;
        if (!request.Path.StartsWithSegments("/api")) return false;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return false;
        return !request.Path.StartsWithSegments("/api/predict");
    }
}
