using Npgsql;

namespace Pipeline.Tests.Service;

/// <summary>
/// A fresh Hangfire schema in the test PostgreSQL (env <c>PIPELINE_TEST_POSTGRES</c>, default the local cluster that
/// scripts/start-postgres.sh starts), dropped afterwards.
/// </summary>
internal sealed class PostgresSchema : IAsyncDisposable
{
    public const string DefaultConnectionString = "Host=127.0.0.1;Username=postgres;Password=postgres;Database=postgres";

    private PostgresSchema(string connectionString, string name)
    {
        ConnectionString = connectionString;
        Name = name;
    }

    public string ConnectionString { get; }
    public string Name { get; }

    public (string, string?)[] Settings => [("ConnectionStrings:Hangfire", ConnectionString), ("Pipeline:Jobs:Schema", Name)];

    public static async Task<PostgresSchema> CreateAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("PIPELINE_TEST_POSTGRES") is { Length: > 0 } configured
            ? configured
            : DefaultConnectionString;
        // Fails the test with Npgsql's own message when PostgreSQL is not reachable: CI must provide it.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return new PostgresSchema(connectionString, $"hangfire_test_{Guid.NewGuid():N}"[..28]);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{Name}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
