using System.Data;
using System.Data.Common;

namespace OpenBfr.Data.Schema;

/// <summary>The database's schema is newer than this build understands.</summary>
public sealed class SchemaTooNewException(int databaseVersion, int latestKnown)
    : Exception($"the database is at schema version {databaseVersion}, newer than this OpenBFR build knows (up to {latestKnown}); upgrade OpenBFR")
{
    public int DatabaseVersion { get; } = databaseVersion;

    public int LatestKnown { get; } = latestKnown;
}

/// <summary>What a migration run did.</summary>
/// <param name="From">the schema version found (0 for an empty database).</param>
/// <param name="To">the schema version now.</param>
/// <param name="Applied">the versions applied by this run.</param>
public sealed record MigrationResult(int From, int To, IReadOnlyList<int> Applied);

/// <summary>
/// Applies <see cref="Migrations"/> in order, each in its own transaction, and records each in
/// the <c>__SchemaVersions</c> table. Safe to run from several processes at once: PostgreSQL
/// serialises runs with an advisory lock, SQLite with an immediate (write) transaction.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Arbitrary, fixed key of the PostgreSQL advisory lock held while migrating.</summary>
    private const long PostgresLockKey = 0x0BF2_0001;

    /// <summary>Migrates to <paramref name="toVersion"/> (default: the latest).</summary>
    /// <exception cref="ArgumentOutOfRangeException">toVersion is not a known version.</exception>
    /// <exception cref="SchemaTooNewException">the database is newer than this build.</exception>
    public static async Task<MigrationResult> MigrateAsync(DatabaseSettings settings, int? toVersion = null, CancellationToken ct = default)
    {
        var target = toVersion ?? Migrations.Latest;
        if (target < 1 || target > Migrations.Latest)
        {
            throw new ArgumentOutOfRangeException(nameof(toVersion), target, $"toVersion must be 1–{Migrations.Latest}, was {target}");
        }
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        var postgres = settings.Provider == DatabaseProvider.Postgres;
        if (postgres)
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresLockKey})", ct);
        }
        else
        {
            // WAL lets readers go on while a session's log is being appended.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL", ct);
        }
        try
        {
            await ExecuteAsync(connection, null, postgres
                ? """CREATE TABLE IF NOT EXISTS "__SchemaVersions" ("Version" integer NOT NULL PRIMARY KEY, "Name" text NOT NULL, "AppliedAt" bigint NOT NULL)"""
                : """CREATE TABLE IF NOT EXISTS "__SchemaVersions" ("Version" INTEGER NOT NULL PRIMARY KEY, "Name" TEXT NOT NULL, "AppliedAt" INTEGER NOT NULL)""", ct);
            var from = await CurrentVersionAsync(connection, null, ct);
            if (from > Migrations.Latest)
            {
                throw new SchemaTooNewException(from, Migrations.Latest);
            }
            var applied = new List<int>();
            foreach (var migration in Migrations.All.Where(m => m.Version > from && m.Version <= target))
            {
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.Serializable, ct);
                // Another process may have applied it between our read and this transaction.
                if (await CurrentVersionAsync(connection, tx, ct) >= migration.Version)
                {
                    await tx.RollbackAsync(ct);
                    continue;
                }
                await ExecuteAsync(connection, tx, migration.SqlFor(settings.Provider), ct);
                await using (var record = connection.CreateCommand())
                {
                    record.Transaction = tx;
                    record.CommandText = """INSERT INTO "__SchemaVersions" ("Version", "Name", "AppliedAt") VALUES (@v, @n, @t)""";
                    AddParameter(record, "@v", migration.Version);
                    AddParameter(record, "@n", migration.Name);
                    // The time it was applied is bookkeeping, not domain data: the wall clock is the truth here.
                    AddParameter(record, "@t", TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
                    await record.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                applied.Add(migration.Version);
            }
            return new MigrationResult(from, await CurrentVersionAsync(connection, null, ct), applied);
        }
        finally
        {
            if (postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresLockKey})", CancellationToken.None);
            }
        }
    }

    /// <summary>The schema version of a database (0 when it has none yet).</summary>
    public static async Task<int> CurrentVersionAsync(DatabaseSettings settings, CancellationToken ct = default)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync(ct);
        await using var check = connection.CreateCommand();
        check.CommandText = settings.Provider == DatabaseProvider.Postgres
            ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '__SchemaVersions' AND table_schema = current_schema()"
            : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__SchemaVersions'";
        if (Convert.ToInt64(await check.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }
        return await CurrentVersionAsync(connection, null, ct);
    }

    private static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? tx, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """SELECT COALESCE(MAX("Version"), 0) FROM "__SchemaVersions" """;
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }
}
