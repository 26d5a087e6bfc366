using Npgsql;
using Pipeline.Storage;

namespace Pipeline.Service.Jobs;

/// <summary>
/// A named lock held across every service process that shares one data root and one Hangfire PostgreSQL schema
/// (see <see cref="DataRootLocks"/>). Its surface is <see cref="SemaphoreSlim"/>'s (<see cref="WaitAsync"/>,
/// <see cref="Release"/>), so code written against an in-process gate keeps its shape.
/// </summary>
/// <remarks>
/// Across processes it is a PostgreSQL session-level advisory lock on a connection of its own (not pooled), held from
/// <see cref="WaitAsync"/> to <see cref="Release"/>. A process killed while holding it loses the connection and
/// PostgreSQL releases the lock at once; Hangfire.PostgreSql's own distributed locks are rows that a killed holder
/// leaves behind for ten minutes, which would stall a retrain's join for as long. Within the process a semaphore
/// comes first, so one connection per lock and process is enough. With in-memory Hangfire storage no second process
/// can share the jobs, and the semaphore alone is the lock.
/// </remarks>
public sealed class DataRootLock(string? connectionString, long key) : ISharedLock
{
    private readonly SemaphoreSlim _local = new(1, 1);
    private NpgsqlConnection? _held;

    /// <summary>Waits until this process and every other one have let go of the lock, then holds it.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        await _local.WaitAsync(ct);
        try
        {
            if (connectionString is not null) _held = await LockAsync("SELECT pg_advisory_lock(@key)", ct);
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
            if (connectionString is null) return true;
            var connection = await LockAsync("SELECT pg_try_advisory_lock(@key)", ct);
            if (connection is not null) _held = connection;
            else _local.Release();
            return connection is not null;
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
            if (connectionString is null) return true;
            var connection = new NpgsqlConnection(connectionString);
            try
            {
                connection.Open();
                using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
                command.Parameters.AddWithValue("key", key);
                if (command.ExecuteScalar() is true)
                {
                    _held = connection;
                    return true;
                }
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            connection.Dispose();
            _local.Release();
            return false;
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
        // Closing the session is what releases the advisory lock; no pool keeps it alive.
        held?.Dispose();
        _local.Release();
    }

    /// <returns>The connection now holding the lock, or null when a try found it taken.</returns>
    private async Task<NpgsqlConnection?> LockAsync(string sql, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("key", key);
            if (await command.ExecuteScalarAsync(ct) is false)
            {
                await connection.DisposeAsync();
                return null;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
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
