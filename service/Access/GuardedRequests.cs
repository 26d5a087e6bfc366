using Pipeline.Service.Dashboard;

namespace Pipeline.Service.Access;

/// <summary>
/// Which requests need admin access: every request to the dashboard, and every mutating <c>/api/*</c> request except
/// <c>POST /api/predict</c>. Reads and predictions stay open to everyone.
/// </summary>
public static class GuardedRequests
{
    public static bool IsDashboard(HttpRequest request) => request.Path.StartsWithSegments(DashboardModule.Path);

    public static bool IsGuarded(HttpRequest request)
    {
        if (IsDashboard(request)) return true;
        if (!request.Path.StartsWithSegments("/api")) return false;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return false;
        return !request.Path.StartsWithSegments("/api/predict");
    }
}
