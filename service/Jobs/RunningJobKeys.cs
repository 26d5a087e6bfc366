using System.Collections.Concurrent;

namespace Pipeline.Service.Jobs;

/// <summary>
/// What this process is working on right now (a retrain's candidate, or its evaluation). Two deliveries of one job
/// (re-created at start-up while PostgreSQL re-delivers the old one) must not work on the same folder at once: the
/// second finds the key taken and exits.
/// </summary>
public sealed class RunningJobKeys
{
    private readonly ConcurrentDictionary<string, byte> _keys = new();

    public bool TryStart(string key) => _keys.TryAdd(key, 0);

    public void Finish(string key) => _keys.TryRemove(key, out _);
}
