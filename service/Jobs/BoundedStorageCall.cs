namespace Pipeline.Service.Jobs;

/// <summary>
/// Hangfire's storage API is synchronous and some calls wait on distributed locks for up to minutes. Start-up work
/// runs them on the thread pool and stops waiting after a timeout, so a stuck storage shows up as one clear log line
/// instead of a service that silently never gets going.
/// </summary>
public static class BoundedStorageCall
{
    /// <returns>The call's result, or <c>default</c> with <paramref name="completed"/> false when it timed out.</returns>
    public static async Task<(bool Completed, T? Result)> RunAsync<T>(Func<T> call, TimeSpan timeout, CancellationToken ct)
    {
        var work = Task.Run(call, ct);
        try
        {
            return (true, await work.WaitAsync(timeout, ct));
        }
        catch (TimeoutException)
        {
            // The call goes on in the background and ends by itself (the lock is granted or times out); observe its
            // outcome so an exception there is not unobserved.
            _ = work.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            return (false, default);
        }
    }
}
