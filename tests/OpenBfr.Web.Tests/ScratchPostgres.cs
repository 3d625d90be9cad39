using Npgsql;

namespace OpenBfr.Web.Tests;

/// <summary>A throw-away database on the PostgreSQL test server (OPENBFR_TEST_PG), dropped afterwards.</summary>
internal static class ScratchPostgres
{
    /// <summary>Creates a database named <paramref name="prefix"/> plus a random suffix, runs <paramref name="body"/> with its connection string, then drops it.</summary>
    public static async Task WithDatabaseAsync(string prefix, Func<string, Task> body)
    {
        var server = Environment.GetEnvironmentVariable("OPENBFR_TEST_PG")!;
        var name = prefix + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {name}", admin).ExecuteNonQueryAsync();
        }
        try
        {
            await body(new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString());
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(server);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }
}
