namespace Pipeline.Storage;

/// <summary>
/// A cross-process lock held as an exclusively opened file. The operating system releases it if the process dies,
/// so a crash mid-preparation never leaves a stale lock behind.
/// </summary>
internal sealed class FileGate : IAsyncDisposable
{
    private readonly FileStream _handle;

    private FileGate(FileStream handle) => _handle = handle;

    public static async Task<FileGate> AcquireAsync(string path, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return new FileGate(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                // Another process prepares the same thing; wait for it rather than doing the work twice.
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
    }

    public ValueTask DisposeAsync() => _handle.DisposeAsync();
}
