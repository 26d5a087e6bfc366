namespace Pipeline.Service.Coordination;

/// <summary>
/// What is being worked on right now, in any worker process (a retrain's candidate, or its evaluation). Two deliveries
/// of one job (one re-created by a worker's start-up resume while another worker still runs the first) must not work
/// on the same folder at once: the second finds the key taken and exits.
/// </summary>
/// <remarks>
/// Each key is a <see cref="DataRootLock"/>, so the check holds across processes; a worker killed mid-job loses its
/// connection and the key with it, so the job's redelivery after the invisibility timeout is not locked out.
/// </remarks>
public sealed class RunningJobKeys(DataRootLocks locks)
{
    public bool TryStart(string key) => locks.For($"running:{key}").TryWait();

    public void Finish(string key) => locks.For($"running:{key}").Release();
}
