using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Pipeline.Service.Predict;

/// <summary>
/// Caps concurrent predict work: a concurrency limiter of <c>Pipeline:Predict:MaxConcurrent</c> permits and a queue of
/// <c>QueueLimit</c>; a full queue answers 503 problem details with <c>Retry-After</c>, so a burst degrades into quick
/// refusals instead of every caller timing out.
/// </summary>
/// <remarks>
/// A permit is taken only once the image body has been read (<see cref="PredictApi"/>), not by the rate limiting
/// middleware before the handler: there, a client sending its body at a few hundred bytes a second held a permit for
/// as long as it liked, and 37 of them refused every other caller for 30 s. Reading costs a slow client's own time
/// and at most <c>MaxImageBytes</c> of memory each; decoding and the backbone, which cost cores, are what is capped.
/// </remarks>
public sealed class PredictConcurrency(IOptions<PredictOptions> options) : IDisposable
{
    private const int RetryAfterSeconds = 1;

    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrent,
        QueueLimit = options.Value.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <returns>A lease to dispose when the work is done; not acquired when every slot and the queue are taken.</returns>
    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken ct) => _limiter.AcquireAsync(1, ct);

    /// <summary>The answer when no permit was acquired: 503 with <c>Retry-After</c>.</summary>
    public static ProblemHttpResult Refusal(HttpResponse response)
    {
        response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return TypedResults.Problem(
            "Every prediction slot and the queue behind them are taken (Pipeline:Predict:MaxConcurrent, " +
            $"Pipeline:Predict:QueueLimit). Retry after {RetryAfterSeconds} s.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many predictions at once");
    }

    public void Dispose() => _limiter.Dispose();
}
