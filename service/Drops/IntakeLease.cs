using Pipeline.Service.Jobs;
using Pipeline.Service.Coordination;

namespace Pipeline.Service.Drops;

/// <summary>
/// Makes one process the intake of a data root at a time. The intake reconciles the intake area at start-up (it
/// deletes cut-off uploads and re-ingests unfinished drops), which is only safe while no other intake works there;
/// a second process with the intake role waits as a standby and takes over when the first one stops or dies.
/// </summary>
/// <remarks>
/// Taking a drop out of the watched folder is a rename, so even two intakes would never take the same drop; the lease
/// is about the reconciliation and the in-process queue. It is a <see cref="DataRootLock"/> held for the process's
/// life (the connection's end releases it, a kill included).
/// </remarks>
public sealed class IntakeLease(DataRootLocks locks, ILogger<IntakeLease> logger)
{
    private readonly DataRootLock _lock = locks.For("intake");
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this process is the intake.</summary>
    public Task Held => _held.Task;

    /// <summary>Becomes the intake if no other process is; false means standby.</summary>
    public async Task<bool> TryTakeAsync(CancellationToken ct)
    {
        if (_held.Task.IsCompleted) return true;
        if (!await _lock.TryWaitAsync(ct))
        {
            logger.LogInformation("Another process is the intake of this data root; this one waits as a standby");
            return false;
        }

        _held.TrySetResult();
        return true;
    }

    /// <summary>Waits until this process is the intake.</summary>
    public async Task TakeAsync(CancellationToken ct)
    {
        if (_held.Task.IsCompleted) return;
        await _lock.WaitAsync(ct);
        logger.LogInformation("This process is now the intake of the data root");
        _held.TrySetResult();
    }
}
