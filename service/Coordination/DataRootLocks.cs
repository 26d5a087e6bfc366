using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Pipeline.Service.Jobs;

/// <summary>
/// The <see cref="DataRootLock"/>s of this process, one per name: the retrain records, the coordinator, the intake.
/// Processes agree on a lock through its name and the Hangfire schema, which is what they share besides the data root.
/// </summary>
public sealed class DataRootLocks(HangfirePostgresTarget target)
{
    private readonly ConcurrentDictionary<string, DataRootLock> _locks = new(StringComparer.Ordinal);

    /// <summary>Session locks must outlive nothing but their own connection: pooling would keep them held.</summary>
    private readonly string? _connectionString = target.ConnectionString is { } configured
        ? new NpgsqlConnectionStringBuilder(configured) { Pooling = false }.ConnectionString
        : null;

    public DataRootLock For(string name) =>
        _locks.GetOrAdd(name, n => new DataRootLock(_connectionString, KeyOf($"{target.Schema}:{n}")));

    /// <summary>PostgreSQL's advisory locks are keyed by one bigint: the first 8 bytes of the name's SHA-256.</summary>
    private static long KeyOf(string name) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0);
}
