using System.Diagnostics;
using Hangfire;
using Hangfire.Storage.Monitoring;
using Microsoft.Extensions.Options;
using Pipeline.Service.Jobs;

namespace Pipeline.Service.Coordination;

/// <summary>
/// The other Hangfire servers that are alive: service processes sharing this PostgreSQL schema whose jobs and locks
/// must be left alone. Start-up work uses it to clear only what a dead process left.
/// </summary>
/// <remarks>
/// Alive means a heartbeat within three <c>Pipeline:Jobs:HeartbeatSeconds</c> (one missed beat is not death). A
/// server on this machine is also checked by its process id, so a process restarted right after a kill does not wait
/// for the dead one's heartbeat to age: that is the common case of a crash, and the one the restart tests cover.
/// </remarks>
public sealed class PeerServers(JobStorage storage, JobServerName self, IOptions<JobsOptions> options)
{
    /// <summary>Server ids of live servers other than this process's.</summary>
    public IReadOnlySet<string> Live() =>
        storage.GetMonitoringApi().Servers()
            .Where(s => !self.Owns(s.Name) && IsAlive(s))
            .Select(s => s.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private bool IsAlive(ServerDto server)
    {
        var timeout = TimeSpan.FromSeconds(3 * options.Value.HeartbeatSeconds);
        if (server.Heartbeat is not { } beat || DateTime.UtcNow - beat > timeout) return false;
        if (JobServerName.ProcessOf(server.Name) is not { } process ||
            !string.Equals(process.Machine, Environment.MachineName, StringComparison.OrdinalIgnoreCase))
            return true;
        // The same process id as this one, under another name: a container restarted with the same pid.
        return process.ProcessId != Environment.ProcessId && IsRunning(process.ProcessId);
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
