using Hangfire;
using Hangfire.Dashboard;

namespace Pipeline.Service.Access;

/// <summary>
/// The dashboard's own authorization, replacing Hangfire's loopback-only default so that the admin key works too.
/// (The middleware already refuses others with problem details; this keeps the dashboard safe if mapped elsewhere.)
/// </summary>
public sealed class DashboardAccessFilter(AdminAccess access) : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => access.IsAllowed(context.GetHttpContext());
}
