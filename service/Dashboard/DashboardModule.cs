using Hangfire;
using Hangfire.Dashboard;
using Pipeline.Service.Access;

namespace Pipeline.Service.Dashboard;

/// <summary>
/// The Hangfire dashboard at <c>/hangfire</c> with two pages of ours: Progress (live job progress) and Models
/// (versions, metrics, the serving one, decisions), added through Hangfire's routes and navigation menu.
/// </summary>
public static class DashboardModule
{
    public const string Path = "/hangfire";
    private static int _registered;

    public static IEndpointRouteBuilder MapPipelineDashboard(this IEndpointRouteBuilder app)
    {
        // Hangfire keeps routes and menu items in static collections: add ours once per process.
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            DashboardRoutes.Routes.AddRazorPage(ProgressPage.Route, _ => new ProgressPage());
            DashboardRoutes.Routes.AddRazorPage(ModelsPage.Route, _ => new ModelsPage());
            NavigationMenu.Items.Add(page => new MenuItem("Progress", page.Url.To(ProgressPage.Route))
            {
                Active = page.RequestPath.StartsWith(ProgressPage.Route, StringComparison.Ordinal),
            });
            NavigationMenu.Items.Add(page => new MenuItem("Models", page.Url.To(ModelsPage.Route))
            {
                Active = page.RequestPath.StartsWith(ModelsPage.Route, StringComparison.Ordinal),
            });
        }

        app.MapHangfireDashboard(Path, new DashboardOptions
        {
            DashboardTitle = "Pipeline jobs",
            // "Back to site" leads to the web UI (Hangfire's default is "/" too; stated so that it stays there).
            AppPath = "/",
            // Access is decided by the endpoint policy below, as for the API (Hangfire's default filter is loopback only).
            Authorization = [],
            StatsPollingInterval = 2000,
        }).RequireAuthorization(AccessModule.AdminPolicy);
        return app;
    }
}
