namespace Pipeline.Storage;

/// <summary>An <see cref="ISharedLock"/> for one process alone: the CLI, tests, a service with in-memory job storage.</summary>
public sealed class ProcessLock : ISharedLock, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        return new Held(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Held(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}
