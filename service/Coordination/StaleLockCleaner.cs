using Microsoft.Extensions.Options;
using Npgsql;
using Pipeline.Service.Jobs;

namespace Pipeline.Service.Coordination;

/// <summary>
/// PostgreSQL storage only: deletes the distributed-lock rows a killed process left in Hangfire's <c>lock</c> table,
/// before this process's Hangfire server (or anything else here) takes a lock.
/// </summary>
/// <remarks>
/// Hangfire.PostgreSql keeps each distributed lock as a row that the holder deletes when done; a process killed while
/// holding one (a worker changing a job's state, the schedulers' global locks) leaves it behind, and the package only
/// treats it as expired after <c>DistributedLockTimeout</c> (10 minutes). Until then every caller of that lock
/// blocks: the start-up sweep's <c>ChangeState</c> on a dead process's job did, and the service never listened.
/// When no other live server shares the schema (<see cref="PeerServers"/>), every row belongs to a process that is gone
/// and all are deleted. When peers are alive, only rows older than <c>Pipeline:Jobs:StaleLockSeconds</c> go: Hangfire
/// holds its locks for a state change or a scheduler pass (milliseconds), so an older row is a dead holder's, and a
/// peer's fresh lock is left alone. The delete is bounded by a timeout; if it fails the service starts anyway and says so, since the rows expire on
/// their own and nothing at start-up waits on a lock any more.
/// <para>
/// This is raw SQL on a table Hangfire.PostgreSql owns, so it is pinned: <see cref="WrittenForPackageVersion"/> is the
/// package version whose <c>lock</c> table (columns <c>resource</c>, <c>acquired</c> as UTC without time zone) it was
/// written and tested against. <c>StaleLockRestartTests</c> shows the hang it prevents on that version and fails on any
/// other, so an upgrade re-checks the table, the SQL and whether the package has learned to clear a dead holder's rows.
/// The package offers no supported way to do this: its only knob, <c>DistributedLockTimeout</c>, is also how long a
/// live holder may keep a lock, and lowering it to seconds would let a slow state change lose its lock.
/// </para>
/// </remarks>
public sealed class StaleLockCleaner(HangfirePostgresTarget target, PeerServers peers, IOptions<JobsOptions> options,
    ILogger<StaleLockCleaner> logger) : IHostedService
{
    /// <summary>The Hangfire.PostgreSql version whose <c>lock</c> table the SQL here was written and tested against.</summary>
    public const string WrittenForPackageVersion = "1.21.1";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (target.ConnectionString is null) return;
        var timeout = TimeSpan.FromSeconds(options.Value.StartupCallSeconds);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            var live = await Task.Run(peers.Live, bounded.Token).WaitAsync(bounded.Token);
            var olderThan = live.Count == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(options.Value.StaleLockSeconds);
            var removed = await DeleteAsync(target.ConnectionString, target.Schema, olderThan, bounded.Token);
            if (removed.Count > 0)
                logger.LogWarning("Removed {Count} stale Hangfire lock rows left by a stopped process: {Resources}",
                    removed.Count, string.Join(", ", removed));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogError("Removing stale Hangfire lock rows did not finish within {Seconds} s; locks of a stopped process " +
                            "expire after Hangfire.PostgreSql's DistributedLockTimeout instead", timeout.TotalSeconds);
        }
        catch (NpgsqlException e)
        {
            logger.LogError(e, "Removing stale Hangfire lock rows failed; locks of a stopped process expire after " +
                               "Hangfire.PostgreSql's DistributedLockTimeout instead");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<IReadOnlyList<string>> DeleteAsync(string connectionString, string schema, TimeSpan olderThan,
        CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // Hangfire.PostgreSql stores 'acquired' as UTC without a time zone.
        await using var delete = new NpgsqlCommand($"""
            DELETE FROM "{schema}"."lock" WHERE acquired <= (now() at time zone 'utc') - @age RETURNING resource
            """, connection);
        delete.Parameters.AddWithValue("age", olderThan);
        var removed = new List<string>();
        try
        {
            await using var reader = await delete.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) removed.Add(reader.GetString(0));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // No schema yet: nothing can be stale.
        }

        return removed;
    }
}
