using System.Diagnostics;
using System.Net.Http.Headers;

namespace Pipeline.Bench;

/// <summary>
/// Drives <c>POST /api/predict</c> with a fixed number of requests from <c>concurrency</c> clients at once, each
/// sending the next image as soon as its previous answer arrived (closed loop), cycling through real images.
/// </summary>
public static class PredictLoad
{
    public static async Task<LoadResult> RunAsync(HttpClient client, IReadOnlyList<byte[]> images, int concurrency,
        int requests, CancellationToken ct)
    {
        var latencies = new double[requests];
        var next = -1;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                using var content = new ByteArrayContent(images[i % images.Count]);
                content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/predict", content, ct);
                await response.Content.ReadAsByteArrayAsync(ct);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
            }
        }, ct)));
        return new LoadResult(concurrency, latencies, clock.Elapsed, failures);
    }
}
