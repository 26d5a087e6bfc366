namespace Pipeline.Storage;

/// <summary>
/// A cross-process lock held as an exclusively opened file. The operating system releases it if the process dies,
/// so a crash mid-preparation never leaves a stale lock behind.
/// </summary>
/// <remarks>
/// Only a lock held by someone else is waited for, and for at most <see cref="DefaultWait"/> (or the caller's wait):
/// a read-only or full data root fails the same way on every try, and retrying it forever hung promote for good.
/// </remarks>
internal sealed class FileGate : IAsyncDisposable
{
    /// <summary>Longer than any holder keeps these locks (a registry write, a backbone's preparation is guarded apart).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(2);

    private readonly FileStream _handle;

    private FileGate(FileStream handle) => _handle = handle;

    public static async Task<FileGate> AcquireAsync(string path, CancellationToken ct, TimeSpan? wait = null)
    {
        var limit = wait ?? DefaultWait;
        var deadline = DateTime.UtcNow + limit;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return new FileGate(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (!StorageFaults.IsLasting(e) && e is not DirectoryNotFoundException)
            {
                // Another process prepares the same thing; wait for it rather than doing the work twice.
                if (DateTime.UtcNow + delay > deadline)
                    throw new FileGateTimeoutException(
                        $"The lock {Path.GetFileName(path)} in {Path.GetFileName(Path.GetDirectoryName(path))} could not be taken " +
                        $"within {limit.TotalSeconds:0} s: {e.Message}", e);
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
    }

    public ValueTask DisposeAsync() => _handle.DisposeAsync();
}
