using Medallion.Threading;
using Medallion.Threading.Postgres;
using Pipeline.Storage;

namespace Pipeline.Service.Coordination;

/// <summary>
/// A named lock held across every service process that shares one data root and one Hangfire PostgreSQL schema
/// (see <see cref="DataRootLocks"/>). Its surface is <see cref="SemaphoreSlim"/>'s (<see cref="WaitAsync"/>,
/// <see cref="Release"/>) for code that holds it across calls, and the pipeline's <see cref="ISharedLock"/>.
/// </summary>
/// <remarks>
/// Across processes it is a PostgreSQL session-level advisory lock (<c>DistributedLock.Postgres</c>'s
/// <see cref="PostgresDistributedLock"/>), held on a connection of its own from <see cref="WaitAsync"/> to
/// <see cref="Release"/>. A process killed while holding it loses the connection and PostgreSQL releases the lock at
/// once; Hangfire.PostgreSql's own distributed locks are rows that a killed holder leaves behind for ten minutes, which
/// would stall a retrain's join for as long. Within the process a semaphore comes first, so one connection per lock
/// and process is enough. With in-memory Hangfire storage no second process can share the jobs, and the semaphore
/// alone is the lock.
/// </remarks>
public sealed class DataRootLock(PostgresDistributedLock? distributed) : ISharedLock, IDisposable
{
    private readonly SemaphoreSlim _local = new(1, 1);
    private IDistributedSynchronizationHandle? _held;

    /// <summary>Waits until this process and every other one have let go of the lock, then holds it.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        await _local.WaitAsync(ct);
        try
        {
            if (distributed is not null) _held = await distributed.AcquireAsync(cancellationToken: ct);
        }
        catch
        {
            _local.Release();
            throw;
        }
    }

    public async Task<IAsyncDisposable> AcquireAsync(CancellationToken ct)
    {
        await WaitAsync(ct);
        return new Held(this);
    }

    /// <summary>Takes the lock only if nobody holds it; true when taken (then <see cref="Release"/> it).</summary>
    public async Task<bool> TryWaitAsync(CancellationToken ct)
    {
        if (!await _local.WaitAsync(0, ct)) return false;
        try
        {
            if (distributed is null) return true;
            _held = await distributed.TryAcquireAsync(TimeSpan.Zero, ct);
            if (_held is null) _local.Release();
            return _held is not null;
        }
        catch
        {
            _local.Release();
            throw;
        }
    }

    /// <summary>
    /// <see cref="TryWaitAsync"/> for callers that cannot await (<see cref="RunningJobKeys"/>, called at the start of a
    /// job on Hangfire's worker thread): a try never waits on another holder, only on one round trip.
    /// </summary>
    public bool TryWait()
    {
        if (!_local.Wait(0)) return false;
        try
        {
            if (distributed is null) return true;
            _held = distributed.TryAcquire(TimeSpan.Zero);
            if (_held is null) _local.Release();
            return _held is not null;
        }
        catch
        {
            _local.Release();
            throw;
        }
    }

    public void Release()
    {
        var held = _held;
        _held = null;
        held?.Dispose();
        _local.Release();
    }

    public void Dispose()
    {
        _held?.Dispose();
        _local.Dispose();
    }

    private sealed class Held(DataRootLock owner) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) owner.Release();
            return ValueTask.CompletedTask;
        }
    }
}
