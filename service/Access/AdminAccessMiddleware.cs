using Microsoft.AspNetCore.Mvc;

namespace Pipeline.Service.Access;

/// <summary>
/// Guards the Hangfire dashboard and every mutating <c>/api/*</c> request except <c>POST /api/predict</c> with
/// <see cref="AdminAccess"/>, answering 403 problem details. A middleware rather than per-endpoint filters so that
/// endpoints other areas add later (drops, models) are covered without each remembering to opt in.
/// </summary>
public sealed class AdminAccessMiddleware(RequestDelegate next, AdminAccess access, IProblemDetailsService problems,
    ILogger<AdminAccessMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsGuarded(context.Request) || access.IsAllowed(context))
        {
            await next(context);
            return;
        }

        logger.LogWarning("Refused {Method} {Path} from {RemoteAddress}: not local and no valid admin key",
            context.Request.Method, context.Request.Path, context.Connection.RemoteIpAddress);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Local access only",
                Detail = $"This endpoint answers requests from this machine only, or requests with the configured admin key " +
                         $"(header {AdminAccess.KeyHeader} or the basic-auth password; setting Pipeline:AdminKey).",
            },
        });
    }

    public static bool IsGuarded(HttpRequest request)
    {
        if (request.Path.StartsWithSegments("/hangfire")) return true;
        if (!request.Path.StartsWithSegments("/api")) return false;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
            return false;
        return !request.Path.StartsWithSegments("/api/predict");
    }
}
