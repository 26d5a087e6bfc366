namespace Pipeline.Storage;

/// <summary>
/// A named lock held by one caller at a time among every process that shares a data root (the service's workers), or
/// within one process where nothing else shares it (<see cref="ProcessLock"/>). The host decides which.
/// </summary>
public interface ISharedLock
{
    /// <summary>Waits until nobody holds the lock, then holds it until the returned handle is disposed.</summary>
    Task<IAsyncDisposable> AcquireAsync(CancellationToken ct);
}
