using System.ComponentModel.DataAnnotations;
using Pipeline.Service.Coordination;

namespace Pipeline.Service.Jobs;

/// <summary>How this process's Hangfire server runs (configuration section <c>Pipeline:Jobs</c>).</summary>
public sealed class JobsOptions
{
    public const string Section = "Pipeline:Jobs";

    /// <summary>
    /// Hangfire workers. Training is CPU-bound and ONNX Runtime already uses several threads per image batch, so on a
    /// small machine two candidates at a time is the most that helps. Default 2.
    /// </summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;

    /// <summary>How often the dataset store is rescanned for versions committed by another process. Default 3 s.</summary>
    [Range(0.5, 3600)]
    public double RescanSeconds { get; set; } = 3;

    /// <summary>PostgreSQL storage only: how often idle workers look for new jobs. Hangfire's default (15 s) is slow for a
    /// retrain that should start when a drop lands. Default 1 s.</summary>
    [Range(0.2, 60)]
    public double QueuePollSeconds { get; set; } = 1;

    /// <summary>
    /// PostgreSQL storage only: how long a fetched job stays invisible. With the sliding timeout a live server keeps
    /// renewing it, so it can be short; a dead server's job comes back after this long at the latest (and at once when
    /// this service restarts, see <see cref="OrphanedJobSweeper"/>): then another worker process takes it. Default 5
    /// minutes; tests use seconds.
    /// </summary>
    [Range(0.05, 1440)]
    public double InvisibilityTimeoutMinutes { get; set; } = 5;

    /// <summary>
    /// Names this process's Hangfire server (<see cref="JobServerName"/>), as shown on the dashboard and in each job's
    /// Processing state. Empty: <c>pipeline</c>. Letters, digits, '.', '_' and '-' only.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9._-]*$")]
    public string? WorkerName { get; set; }

    /// <summary>How often this process's Hangfire server reports it is alive; a peer silent for three beats counts as
    /// dead at start-up (<see cref="PeerServers"/>). Default 30 s (Hangfire's).</summary>
    [Range(1, 300)]
    public double HeartbeatSeconds { get; set; } = 30;

    /// <summary>While other servers are alive, a Hangfire lock row at least this old is a dead process's and removed at
    /// start-up (<see cref="StaleLockCleaner"/>). Default 60 s.</summary>
    [Range(1, 3600)]
    public double StaleLockSeconds { get; set; } = 60;

    /// <summary>
    /// The longest one start-up call to Hangfire's storage may take (removing stale locks, replacing orphaned jobs,
    /// registering the recurring retrain) before the service logs it and carries on. Default 30 s.
    /// </summary>
    [Range(1, 600)]
    public double StartupCallSeconds { get; set; } = 30;

    /// <summary>
    /// How long a retrain job that met a full or read-only data root waits before it runs again (it cannot record a
    /// failure on that storage, so it retries until the storage takes writes), and a retrain request that failed (the
    /// data root's or Hangfire's storage) before it is made again. Default 30 s.
    /// </summary>
    [Range(0.1, 3600)]
    public double StorageRetrySeconds { get; set; } = 30;
}
