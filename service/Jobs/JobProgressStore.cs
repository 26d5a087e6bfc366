using System.Collections.Concurrent;

namespace Pipeline.Service.Jobs;

/// <summary>
/// The latest <see cref="JobProgress"/> of every job this process ran, kept in memory: progress is live information,
/// while what lasts (candidate results, decisions) is in the retrain records and the model registry.
/// </summary>
public sealed class JobProgressStore
{
    private const int Kept = 500;
    private readonly ConcurrentDictionary<string, JobProgress> _jobs = new();

    public JobProgress? Get(string jobId) => _jobs.TryGetValue(jobId, out var p) ? p : null;

    /// <summary>Running jobs first, then the most recently updated.</summary>
    public IReadOnlyList<JobProgress> List() =>
        _jobs.Values.OrderBy(p => p.State == "running" ? 0 : 1).ThenByDescending(p => p.UpdatedUtc).ToList();

    public void Set(JobProgress progress)
    {
        _jobs[progress.JobId] = progress;
        if (_jobs.Count > Kept)
            foreach (var old in _jobs.Values.Where(p => p.State != "running").OrderBy(p => p.UpdatedUtc).Take(_jobs.Count - Kept))
                _jobs.TryRemove(old.JobId, out _);
    }
}
