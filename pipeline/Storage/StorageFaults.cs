namespace Pipeline.Storage;

/// <summary>
/// Tells storage faults from other I/O errors. On Linux .NET raises an <see cref="IOException"/> whose
/// <see cref="Exception.HResult"/> is the raw <c>errno</c> for errors it has no own type for, which is how a full disk
/// (28) and a read-only file system (30) arrive.
/// </summary>
public static class StorageFaults
{
    private const int NoSpace = 28;      // ENOSPC
    private const int ReadOnlyFs = 30;   // EROFS
    private const int QuotaExceeded = 122; // EDQUOT

    /// <returns>The fault behind <paramref name="exception"/> or any exception inside it, or null for other errors.</returns>
    public static StorageFault? Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is FileGateTimeoutException) return StorageFault.LockTimeout;
            if (e is IOException io)
            {
                switch (io.HResult)
                {
                    case NoSpace or QuotaExceeded: return StorageFault.Full;
                    case ReadOnlyFs: return StorageFault.ReadOnly;
                }
            }

            if (e is AggregateException { InnerExceptions.Count: 1 } single && single.InnerException != e.InnerException)
                return Classify(single.InnerExceptions[0]);
        }

        return null;
    }

    /// <summary>Whether waiting cannot help: the same write fails the same way until someone frees space or remounts.</summary>
    public static bool IsLasting(Exception exception) => Classify(exception) is StorageFault.Full or StorageFault.ReadOnly;
}
