using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Datasets.Intake;
using Pipeline.Storage;

namespace Pipeline.Service.Hosting;

/// <summary>
/// Answers storage failures that reach the exception handler as problem details a user can act on, instead of 500:
/// a full disk 507, a read-only data root 503, a lock not taken in time 503, a data root that is gone 503.
/// Any other exception is left to the default handler (500).
/// </summary>
public sealed class StorageExceptionHandler(PipelinePaths paths, IProblemDetailsService problems, ILogger<StorageExceptionHandler> logger)
    : IExceptionHandler
{
    private const int RetryAfterSeconds = 30;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var fault = StorageFaults.Classify(exception);
        (int Status, string Title, string Detail)? answer = fault switch
        {
            StorageFault.Full => (StatusCodes.Status507InsufficientStorage, "Storage full",
                "The data root has no space left (or the quota is used up); nothing of this request was kept. Free space and retry."),
            StorageFault.ReadOnly => (StatusCodes.Status503ServiceUnavailable, "Storage read-only",
                "The data root is mounted read-only, so nothing can be written; nothing of this request was kept. Retry once it is writable."),
            StorageFault.LockTimeout => (StatusCodes.Status503ServiceUnavailable, "Storage busy",
                $"{ServerPaths.Hide(exception.Message)} Retry later."),
            _ when exception is IOException or UnauthorizedAccessException &&
                   (!Directory.Exists(paths.DataRoot) || exception is DirectoryNotFoundException && exception.Message.Contains(paths.DataRoot)) =>
                (StatusCodes.Status503ServiceUnavailable, "Storage missing",
                    "The data root, or a folder of it, is gone (deleted or unmounted while the service runs); restore it or restart the service."),
            _ => null,
        };
        if (answer is not { } a) return false;

        logger.LogError(exception, "{Method} {Path} failed on storage: {Title}", context.Request.Method, context.Request.Path, a.Title);
        context.Response.StatusCode = a.Status;
        if (a.Status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = a.Status, Title = a.Title, Detail = a.Detail },
        });
    }
}
