using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OpenBfr.Data.Schema;

/// <summary>Which database engine holds the records.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file: the default for one runner or a small clinic.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: for clinics and for several web nodes sharing one database.</summary>
    Postgres,
}

/// <summary>Where the records live.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>A SQLite file; its folder is created when missing.</summary>
    public static DatabaseSettings SqliteFile(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = full, DefaultTimeout = 30 }.ToString());
    }

    /// <summary>A PostgreSQL database by Npgsql connection string.</summary>
    public static DatabaseSettings Postgres(string connectionString) => new(DatabaseProvider.Postgres, connectionString);

    /// <summary>Points an EF context at this database.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder) => Provider switch
    {
        DatabaseProvider.Postgres => builder.UseNpgsql(ConnectionString),
        _ => builder.UseSqlite(ConnectionString),
    };

    /// <summary>A new, closed ADO.NET connection.</summary>
    public DbConnection CreateConnection() => Provider switch
    {
        DatabaseProvider.Postgres => new NpgsqlConnection(ConnectionString),
        _ => new SqliteConnection(ConnectionString),
    };

    /// <summary>The connection string with any password removed, for log lines.</summary>
    public string Describe() => Provider switch
    {
        DatabaseProvider.Postgres => DescribePostgres(),
        _ => "SQLite " + new SqliteConnectionStringBuilder(ConnectionString).DataSource,
    };

    private string DescribePostgres()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL {b.Host}:{b.Port}/{b.Database}";
    }
}
