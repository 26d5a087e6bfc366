namespace Pipeline.Service.Jobs;

/// <summary>
/// The name of this process's Hangfire server. Hangfire's server ids start with it, which tells the start-up sweep
/// a job processing here from one orphaned by a process that died (its id is unique per process start, even when a
/// container reuses the process id).
/// </summary>
public sealed record JobServerName(string Value)
{
    public static JobServerName ForThisProcess() =>
        new($"pipeline-{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}");

    public bool Owns(string? serverId) => serverId is not null && serverId.StartsWith(Value + ":", StringComparison.Ordinal);
}
