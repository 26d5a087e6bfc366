using System.Reflection;
using Hangfire.PostgreSql;
using Npgsql;
using Pipeline.Service.Coordination;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

/// <summary>
/// Hangfire.PostgreSql keeps distributed locks as rows of its <c>lock</c> table; a process killed while it holds one
/// (a worker changing a job's state, the schedulers' global locks) leaves the row behind, and the package only ignores
/// it after <c>DistributedLockTimeout</c> (10 minutes). A full-suite run once hung the restart this way: the start-up
/// sweep's <c>ChangeState</c> waited on the dead process's job lock and the service never listened.
/// </summary>
[Collection(ServiceCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class StaleLockRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TrainingDeadline = TimeSpan.FromMinutes(6);

    /// <summary>
    /// The cleaner deletes rows from a table the package owns; this test is the proof that it is needed and that it works,
    /// so it holds for the package version it was run against. Upgrading Hangfire.PostgreSql fails here until the SQL,
    /// this test and <see cref="StaleLockCleaner.WrittenForPackageVersion"/> are checked against the new version.
    /// </summary>
    [Fact]
    public void The_stale_lock_cleaner_is_pinned_to_the_Hangfire_PostgreSql_version_it_was_proven_on()
    {
        var version = typeof(PostgreSqlStorage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.Equal(StaleLockCleaner.WrittenForPackageVersion, version.Split('+')[0]);
    }

    [Fact]
    public async Task Stale_lock_rows_of_a_killed_process_do_not_stop_the_restart_from_listening_and_resuming()
    {
        var data = new ServiceTestData("stale-lock");
        await using var schema = await PostgresSchema.CreateAsync();
        await data.CommitAsync(["buildings", "people", "plants"], 16, "test:first");
        // A feature cache of its own makes featurising real work, so the kill lands while the candidate is processing.
        var settings = ServiceTestData.Settings("MobilenetV2", [("Pipeline:FeatureCacheFolder", Path.Combine(data.DataRoot, "features")),
            ("Pipeline:Jobs:WorkerCount", "1"), .. schema.Settings]);

        await using (var first = await ServiceProcess.StartAsync(data.DataRoot, settings))
        {
            await Poll.UntilAsync(async () =>
            {
                var jobs = (await first.Client.GetJsonAsync("/api/jobs"))["jobs"]!.AsArray();
                return jobs.FirstOrDefault(j => j!["kind"]!.GetValue<string>() == "candidate" && j["state"]!.GetValue<string>() == "running");
            }, TrainingDeadline, "the candidate job to be running", () => first.Output);
            await first.KillAsync();
        }

        // What a kill in the middle of a state change or a scheduler pass leaves: lock rows nobody will release.
        var stale = await LeaveStaleLocksAsync(schema);
        output.WriteLine($"stale lock rows: {string.Join(", ", stale)}");
        Assert.Contains(stale, r => r.EndsWith(":state-lock", StringComparison.Ordinal));

        // Well under the 10 minutes after which Hangfire.PostgreSql would ignore the rows by itself.
        await using var second = await ServiceProcess.StartAsync(data.DataRoot, settings, startTimeout: TimeSpan.FromSeconds(90));
        var retrain = await Poll.RetrainAsync(second.Client, 1, TrainingDeadline, () => second.Output, "Completed");

        Assert.True(retrain["promoted"]!.GetValue<bool>(), retrain.ToJsonString());
        Assert.Contains("stale Hangfire lock", second.Output);
        Assert.Contains("was processing on a stopped server", second.Output);
    }

    private static async Task<IReadOnlyList<string>> LeaveStaleLocksAsync(PostgresSchema schema)
    {
        await using var connection = new NpgsqlConnection(schema.ConnectionString);
        await connection.OpenAsync();
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO "{schema.Name}"."lock" (resource, updatecount, acquired)
            SELECT @prefix || 'job:' || id || ':state-lock', 0, now() at time zone 'utc' FROM "{schema.Name}"."job"
            UNION ALL SELECT @prefix || r, 0, now() at time zone 'utc'
              FROM unnest(ARRAY['locks:schedulepoller', 'recurring-jobs:lock', 'lock:recurring-job:retrain-latest']) AS r
            ON CONFLICT DO NOTHING
            RETURNING resource
            """, connection);
        // Hangfire.PostgreSql names a lock's row "<schema>:<resource>".
        insert.Parameters.AddWithValue("prefix", schema.Name + ":");
        var resources = new List<string>();
        await using var reader = await insert.ExecuteReaderAsync();
        while (await reader.ReadAsync()) resources.Add(reader.GetString(0));
        return resources;
    }
}
