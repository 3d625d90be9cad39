using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenBfr.Data.Schema;

namespace OpenBfr.Data.Tests;

/// <summary>
/// A throw-away database on a real engine: a SQLite file in a temp folder, or a fresh database on
/// the PostgreSQL server that ./test.sh starts (tests/setup.d/30-postgres.sh exports OPENBFR_TEST_PG).
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "OPENBFR_TEST_PG";

    private readonly string? _sqliteDir;
    private readonly string? _pgName;

    private ScratchDatabase(DatabaseSettings settings, string? sqliteDir, string? pgName)
    {
        Settings = settings;
        _sqliteDir = sqliteDir;
        _pgName = pgName;
    }

    public DatabaseSettings Settings { get; }

    public static string? PostgresServer => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } s ? s : null;

    /// <summary>"sqlite" always; "postgres" when the test server is configured (otherwise <see cref="PostgresFactAttribute"/> reports the skip).</summary>
    public static TheoryData<string> Providers()
    {
        var data = new TheoryData<string> { "sqlite" };
        if (PostgresServer is not null)
        {
            data.Add("postgres");
        }
        return data;
    }

    public static async Task<ScratchDatabase> CreateAsync(string provider)
    {
        if (provider == "sqlite")
        {
            var dir = Path.Combine(Path.GetTempPath(), "openbfr-data-" + Guid.NewGuid().ToString("N"));
            return new ScratchDatabase(DatabaseSettings.SqliteFile(Path.Combine(dir, "openbfr.db")), dir, null);
        }
        var server = PostgresServer ?? throw new InvalidOperationException($"{PostgresVariable} is not set");
        var name = "openbfr_t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        return new ScratchDatabase(DatabaseSettings.Postgres(cs), null, name);
    }

    public OpenBfrDbContext Context()
    {
        var builder = new DbContextOptionsBuilder<OpenBfrDbContext>();
        Settings.Configure(builder);
        return new OpenBfrDbContext(builder.Options);
    }

    public IDbContextFactory<OpenBfrDbContext> Factory() => new Contexts(this);

    public async ValueTask DisposeAsync()
    {
        if (_sqliteDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_sqliteDir, recursive: true); } catch (IOException) { }
        }
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", admin);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private sealed class Contexts(ScratchDatabase db) : IDbContextFactory<OpenBfrDbContext>
    {
        public OpenBfrDbContext CreateDbContext() => db.Context();
    }
}

/// <summary>A fact that needs the PostgreSQL test server; skipped, saying why, when it is not configured.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ScratchDatabase.PostgresServer is null)
        {
            Skip = $"{ScratchDatabase.PostgresVariable} is not set: run ./test.sh, which starts PostgreSQL on 127.0.0.1 (tests/setup.d/30-postgres.sh)";
        }
    }
}
