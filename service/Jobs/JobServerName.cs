using System.Globalization;

namespace Pipeline.Service.Jobs;

/// <summary>
/// The name of this process's Hangfire server, <c>&lt;worker name&gt;-&lt;pid&gt;-&lt;random&gt;@&lt;machine&gt;</c>.
/// Hangfire's server ids start with it, so the dashboard and tests tell which process ran a job, and the start-up sweep
/// tells a job of a live peer from one orphaned by a process that died (the random part differs per process start, even
/// when a container reuses the process id).
/// </summary>
public sealed record JobServerName(string Value)
{
    /// <param name="workerName"><c>Pipeline:Jobs:WorkerName</c>; <c>pipeline</c> when empty.</param>
    public static JobServerName ForThisProcess(string? workerName = null) =>
        new($"{(string.IsNullOrWhiteSpace(workerName) ? "pipeline" : workerName)}-{Environment.ProcessId}-" +
            $"{Guid.NewGuid().ToString("N")[..6]}@{Environment.MachineName}");

    public bool Owns(string? serverId) => serverId is not null && serverId.StartsWith(Value + ":", StringComparison.OrdinalIgnoreCase);

    /// <summary>The machine and process a server id of this service names; null for a server id of another form.</summary>
    public static (string Machine, int ProcessId)? ProcessOf(string serverId)
    {
        var name = serverId.Split(':')[0];
        var at = name.LastIndexOf('@');
        if (at < 0) return null;
        var parts = name[..at].Split('-');
        return parts.Length >= 3 && int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? (name[(at + 1)..], pid)
            : null;
    }
}
