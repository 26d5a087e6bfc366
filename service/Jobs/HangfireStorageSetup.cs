using Hangfire;
using Hangfire.PostgreSql;
using Pipeline.Service.Coordination;

namespace Pipeline.Service.Jobs;

/// <summary>Hangfire's storage: PostgreSQL when <c>ConnectionStrings:Hangfire</c> is set, in-memory otherwise.</summary>
public static class HangfireStorageSetup
{
    /// <summary>The schema of Hangfire's tables; <c>Pipeline:Jobs:Schema</c> overrides it (tests use one per test).</summary>
    public const string DefaultSchema = "hangfire";

    public static IGlobalConfiguration UsePipelineStorage(this IGlobalConfiguration config, IConfiguration configuration,
        JobsOptions options)
    {
        var target = HangfirePostgresTarget.From(configuration);
        if (target.ConnectionString is not { } connectionString)
            return config.UseInMemoryStorage();

        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = target.Schema,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(options.QueuePollSeconds),
            InvisibilityTimeout = TimeSpan.FromMinutes(options.InvisibilityTimeoutMinutes),
            // Renewed while a job runs, so a training longer than the timeout is not handed to a second worker.
            UseSlidingInvisibilityTimeout = true,
        };
        return config.UsePostgreSqlStorage(bootstrap => bootstrap.UseNpgsqlConnection(connectionString), storageOptions);
    }
}
