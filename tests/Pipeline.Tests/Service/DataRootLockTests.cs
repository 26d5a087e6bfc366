using Pipeline.Service.Coordination;

namespace Pipeline.Tests.Service;

/// <summary>
/// The data-root locks on real PostgreSQL: two <see cref="DataRootLocks"/> stand for two service processes sharing a
/// schema (each has its own connections), so a lock one holds is refused to the other until released.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class DataRootLockTests
{
    [Fact]
    public async Task A_lock_held_by_one_process_is_refused_to_another_sharing_the_schema_until_released()
    {
        await using var schema = await PostgresSchema.CreateAsync();
        var target = new HangfirePostgresTarget(schema.ConnectionString, schema.Name);
        using var first = new DataRootLocks(target);
        using var second = new DataRootLocks(target);

        await using (await first.For("retrain-records").AcquireAsync(default))
        {
            Assert.False(second.For("retrain-records").TryWait());
            Assert.False(await second.For("retrain-records").TryWaitAsync(default));
            Assert.True(second.For("another-name").TryWait()); // names are separate locks
            second.For("another-name").Release();
        }

        Assert.True(await second.For("retrain-records").TryWaitAsync(default));
        Assert.False(first.For("retrain-records").TryWait());
        second.For("retrain-records").Release();
    }

    [Fact]
    public async Task A_waiter_in_another_process_gets_the_lock_once_the_holder_releases_it()
    {
        await using var schema = await PostgresSchema.CreateAsync();
        var target = new HangfirePostgresTarget(schema.ConnectionString, schema.Name);
        using var first = new DataRootLocks(target);
        using var second = new DataRootLocks(target);
        await first.For("coordinator").WaitAsync(default);

        var waiting = second.For("coordinator").WaitAsync(default);
        first.For("coordinator").Release();

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        second.For("coordinator").Release();
    }

    [Fact]
    public async Task Without_PostgreSQL_the_lock_is_held_within_the_process()
    {
        using var locks = new DataRootLocks(new HangfirePostgresTarget(null, "unused"));

        await using (await locks.For("intake").AcquireAsync(default))
            Assert.False(locks.For("intake").TryWait());

        Assert.True(locks.For("intake").TryWait());
        locks.For("intake").Release();
    }
}
