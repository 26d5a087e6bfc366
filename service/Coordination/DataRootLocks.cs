using System.Collections.Concurrent;
using Medallion.Threading.Postgres;

namespace Pipeline.Service.Coordination;

/// <summary>
/// The <see cref="DataRootLock"/>s of this process, one per name: the retrain records, the coordinator, the intake,
/// each running job. Processes agree on a lock through its name and the Hangfire schema, which is what they share
/// besides the data root.
/// </summary>
public sealed class DataRootLocks(HangfirePostgresTarget target) : IDisposable
{
    private readonly ConcurrentDictionary<string, DataRootLock> _locks = new(StringComparer.Ordinal);

    public DataRootLock For(string name) =>
        _locks.GetOrAdd(name, n => new DataRootLock(target.ConnectionString is { } connectionString
            // The key is a hash of the name: PostgreSQL's advisory locks are keyed by one bigint.
            ? new PostgresDistributedLock(new PostgresAdvisoryLockKey($"{target.Schema}:{n}", allowHashing: true), connectionString)
            : null));

    public void Dispose()
    {
        foreach (var held in _locks.Values) held.Dispose();
    }
}
