using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Pipeline.Service.Predict;

/// <summary>
/// Caps concurrent predict work with ASP.NET Core's rate limiting middleware: a concurrency limiter of
/// <c>Pipeline:Predict:MaxConcurrent</c> slots and a queue of <c>QueueLimit</c>; a full queue answers 503 problem
/// details with <c>Retry-After</c>, so a burst degrades into quick refusals instead of every caller timing out.
/// </summary>
public static class PredictConcurrency
{
    public const string Policy = "predict";
    private const int RetryAfterSeconds = 1;

    public static IServiceCollection AddPredictConcurrency(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            // One partition: the cap is on this process's CPU, whoever the callers are.
            limiter.AddPolicy(Policy, context =>
            {
                var options = context.RequestServices.GetRequiredService<IOptions<PredictOptions>>().Value;
                return RateLimitPartition.GetConcurrencyLimiter(Policy, _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = options.MaxConcurrent,
                    QueueLimit = options.QueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                });
            });
            limiter.OnRejected = async (rejected, ct) =>
            {
                var http = rejected.HttpContext;
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status503ServiceUnavailable,
                        Title = "Too many predictions at once",
                        Detail = "Every prediction slot and the queue behind them are taken (Pipeline:Predict:MaxConcurrent, " +
                                 $"Pipeline:Predict:QueueLimit). Retry after {RetryAfterSeconds} s.",
                    },
                });
            };
        });
        return services;
    }
}
