using Pipeline.Service.Jobs;

namespace Pipeline.Service.Coordination;

/// <summary>Where Hangfire's PostgreSQL tables are: a connection string (null for in-memory storage) and the schema.</summary>
public sealed record HangfirePostgresTarget(string? ConnectionString, string Schema)
{
    public static HangfirePostgresTarget From(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Hangfire");
        return new HangfirePostgresTarget(string.IsNullOrWhiteSpace(connectionString) ? null : connectionString,
            configuration["Pipeline:Jobs:Schema"] is { Length: > 0 } schema ? schema : HangfireStorageSetup.DefaultSchema);
    }
}
