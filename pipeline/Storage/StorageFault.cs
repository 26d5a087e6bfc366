namespace Pipeline.Storage;

/// <summary>Why the data root refused a write, as far as a caller can act on it (<see cref="StorageFaults.Classify"/>).</summary>
public enum StorageFault
{
    /// <summary>No space left on the device, or the user's quota is used up (ENOSPC, EDQUOT): free space and retry.</summary>
    Full,

    /// <summary>The file system is mounted read-only (EROFS): nothing can be written until it is writable again.</summary>
    ReadOnly,

    /// <summary>A lock file stayed taken, or could not be taken, for longer than <see cref="FileGate"/> waits.</summary>
    LockTimeout,
}
