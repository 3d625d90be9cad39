using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Data.Schema;

namespace OpenBfr.Data.Tests.Schema;

public sealed class SchemaMigratorTests
{
    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task Migrate_EmptyDatabase_AppliesEveryVersionInOrder(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        var result = await SchemaMigrator.MigrateAsync(db.Settings);
        result.From.ShouldBe(0);
        result.To.ShouldBe(Migrations.Latest);
        result.Applied.ShouldBe(Migrations.All.Select(m => m.Version).ToList());
        (await SchemaMigrator.CurrentVersionAsync(db.Settings)).ShouldBe(Migrations.Latest);
    }

    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task Migrate_SecondRun_AppliesNothing(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        var again = await SchemaMigrator.MigrateAsync(db.Settings);
        again.Applied.ShouldBeEmpty();
        again.From.ShouldBe(Migrations.Latest);
    }

    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task Migrate_ConcurrentRuns_ApplyEachVersionOnce(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => SchemaMigrator.MigrateAsync(db.Settings))));
        runs.SelectMany(r => r.Applied).OrderBy(v => v).ShouldBe(Migrations.All.Select(m => m.Version));
        (await CountAsync(db.Settings, "__SchemaVersions")).ShouldBe(Migrations.All.Count);
    }

    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task Migrate_DatabaseNewerThanBuild_ThrowsNamingBothVersions(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        await ExecAsync(db.Settings, $"""INSERT INTO "__SchemaVersions" ("Version", "Name", "AppliedAt") VALUES ({Migrations.Latest + 1}, 'from the future', 0)""");
        var ex = await Should.ThrowAsync<SchemaTooNewException>(() => SchemaMigrator.MigrateAsync(db.Settings));
        ex.DatabaseVersion.ShouldBe(Migrations.Latest + 1);
        ex.Message.ShouldContain($"up to {Migrations.Latest}");
    }

    [Fact]
    public async Task Migrate_UnknownTargetVersion_ThrowsWithAllowedRange()
    {
        await using var db = await ScratchDatabase.CreateAsync("sqlite");
        var ex = await Should.ThrowAsync<ArgumentOutOfRangeException>(() => SchemaMigrator.MigrateAsync(db.Settings, 99));
        ex.Message.ShouldContain($"toVersion must be 1–{Migrations.Latest}, was 99");
    }

    /// <summary>The upgrade test: a database at version 1 holding rows in every table keeps every row and value at the latest version.</summary>
    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task Migrate_FromVersion1WithData_KeepsEveryRowAndValue(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        (await SchemaMigrator.MigrateAsync(db.Settings, 1)).To.ShouldBe(1);
        var filler = new Version1Filler(db.Settings);
        await filler.FillAsync(athletes: 3);

        var tables = Version1Filler.Tables;
        var before = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            before[table] = await RowsAsync(db.Settings, table);
            before[table].Count.ShouldBeGreaterThan(0, $"the filler left {table} empty");
        }

        var result = await SchemaMigrator.MigrateAsync(db.Settings);
        result.From.ShouldBe(1);
        result.To.ShouldBe(Migrations.Latest);

        foreach (var table in tables)
        {
            var after = await RowsAsync(db.Settings, table, onlyColumnsOf: before[table]);
            after.Order().ShouldBe(before[table].Order(), $"rows of {table} changed");
        }

        // The latest model reads every old row, and version 2's new columns are filled in.
        await using var ctx = db.Context();
        var athletes = await ctx.Athletes.ToListAsync();
        athletes.Count.ShouldBe(3);
        athletes.ShouldAllBe(a => a.CalendarToken.Length >= 32);
        athletes.Select(a => a.CalendarToken).Distinct().Count().ShouldBe(3);
        var sessions = await ctx.Sessions.ToListAsync();
        sessions.ShouldNotBeEmpty();
        sessions.ShouldAllBe(s => s.LastHeartbeatAt == (s.EndedAt ?? s.StartedAt));
        (await ctx.TelemetrySamples.CountAsync()).ShouldBe(filler.TelemetryRows);
        (await ctx.SessionEvents.CountAsync()).ShouldBe(filler.EventRows);
        (await ctx.LopRecords.ToListAsync()).ShouldAllBe(l => l.ToDomain().Value.MmHg == l.ValueMmHg);
    }

    /// <summary>Each row as "col=value|col=value" over the columns it had at version 1, to compare as multisets.</summary>
    private static async Task<List<string>> RowsAsync(DatabaseSettings settings, string table, List<string>? onlyColumnsOf = null)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await cmd.ExecuteReaderAsync();
        HashSet<string>? keep = null;
        if (onlyColumnsOf is { Count: > 0 })
        {
            keep = onlyColumnsOf[0].Split('|').Select(p => p[..p.IndexOf('=', StringComparison.Ordinal)]).ToHashSet();
        }
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var parts = new List<string>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                if (keep is null || keep.Contains(name))
                {
                    parts.Add(name + "=" + Convert.ToString(reader.IsDBNull(i) ? "<null>" : reader.GetValue(i), CultureInfo.InvariantCulture));
                }
            }
            rows.Add(string.Join('|', parts.Order(StringComparer.Ordinal)));
        }
        return rows;
    }

    internal static async Task<long> CountAsync(DatabaseSettings settings, string table)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    internal static async Task ExecAsync(DatabaseSettings settings, string sql)
    {
        await using var connection = settings.CreateConnection();
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>Fills every table of schema version 1 with plain SQL, as an old build would have left it.</summary>
internal sealed class Version1Filler(DatabaseSettings settings)
{
    public static readonly string[] Tables =
    [
        "AspNetRoles", "AspNetUsers", "AspNetUserRoles", "AspNetUserClaims", "AspNetRoleClaims", "AspNetUserLogins", "AspNetUserTokens",
        "Athletes", "ClinicianLinks", "Screenings", "LopRecords", "Prescriptions", "Plans", "Activities",
        "Sessions", "SessionEvents", "TelemetrySamples", "AuditLog",
    ];

    private readonly bool _pg = settings.Provider == DatabaseProvider.Postgres;

    public int TelemetryRows { get; private set; }

    public int EventRows { get; private set; }

    public async Task FillAsync(int athletes)
    {
        await using var c = settings.CreateConnection();
        await c.OpenAsync();
        var t0 = 1_780_000_000_000L;
        await InsertAsync(c, "AspNetRoles", new() { ["Id"] = "r1", ["Name"] = "clinician", ["NormalizedName"] = "CLINICIAN", ["ConcurrencyStamp"] = "x" });
        await InsertAsync(c, "AspNetUsers", User("u-clin", "clin@example.org"));
        await InsertAsync(c, "AspNetUserRoles", new() { ["UserId"] = "u-clin", ["RoleId"] = "r1" });
        await InsertAsync(c, "AspNetUserClaims", new() { ["UserId"] = "u-clin", ["ClaimType"] = "t", ["ClaimValue"] = "v" });
        await InsertAsync(c, "AspNetRoleClaims", new() { ["RoleId"] = "r1", ["ClaimType"] = "t", ["ClaimValue"] = "v" });
        await InsertAsync(c, "AspNetUserLogins", new() { ["LoginProvider"] = "p", ["ProviderKey"] = "k", ["ProviderDisplayName"] = "P", ["UserId"] = "u-clin" });
        await InsertAsync(c, "AspNetUserTokens", new() { ["UserId"] = "u-clin", ["LoginProvider"] = "p", ["Name"] = "n", ["Value"] = "secret" });
        for (var a = 0; a < athletes; a++)
        {
            var athlete = Guid.NewGuid();
            await InsertAsync(c, "Athletes", new() { ["Id"] = Id(athlete), ["DisplayName"] = $"Runner {a}", ["UserId"] = null, ["BirthYear"] = 1980 + a, ["Sex"] = a % 2 == 0 ? "Female" : "Male", ["Injury"] = a == 1 ? "Achilles" : null, ["CreatedAt"] = t0 + a });
            await InsertAsync(c, "ClinicianLinks", new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["ClinicianUserId"] = "u-clin", ["CreatedAt"] = t0, ["EndedAt"] = a == 2 ? t0 + 5 : null });
            await InsertAsync(c, "Screenings", new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["TakenAt"] = t0, ["AnswersJson"] = "{\"dvt\":false}", ["OutcomeJson"] = "{}", ["Overall"] = "Eligible", ["RecordedByUserId"] = "u-clin", ["ClearedByUserId"] = null, ["ClearedAt"] = null, ["ClearanceNote"] = null });
            var lop = Guid.NewGuid();
            await InsertAsync(c, "LopRecords", new() { ["Id"] = Id(lop), ["AthleteId"] = Id(athlete), ["Limb"] = "LeftLeg", ["Position"] = "Seated", ["CuffWidthCm"] = 11.5, ["Method"] = "Doppler", ["ValueMmHg"] = 200.0 + a, ["UncertaintyMmHg"] = 0.0, ["MeasuredAt"] = t0, ["RecordedByUserId"] = "u-clin", ["Note"] = null });
            await InsertAsync(c, "Prescriptions", new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["LopRecordId"] = Id(lop), ["Limb"] = "LeftLeg", ["Position"] = "Seated", ["Modality"] = "Resistance", ["ProtocolName"] = "strength-lower", ["TargetPercent"] = 70.0, ["ReferenceLopMmHg"] = 200.0, ["LowMmHg"] = 100.0, ["HighMmHg"] = 160.0, ["TargetMmHg"] = 140.0, ["Conservative"] = false, ["SessionsPerWeek"] = 2, ["NotesJson"] = "[]", ["SourcesJson"] = "[\"x\"]", ["CreatedAt"] = t0, ["CreatedByUserId"] = "u-clin", ["RetiredAt"] = null });
            await InsertAsync(c, "Plans", new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["CreatedAt"] = t0, ["CreatedByUserId"] = "u-clin", ["StartDate"] = _pg ? new DateOnly(2026, 12, 7) : "2026-12-07", ["Weeks"] = 16, ["InputsJson"] = "{}", ["PlanJson"] = "{\"weeks\":[]}" });
            await InsertAsync(c, "Activities", new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["StartedAt"] = t0, ["Sport"] = "running", ["DistanceMeters"] = 10000.5, ["DurationSeconds"] = 3000.0, ["AverageHeartRate"] = 150.0, ["Rpe"] = null, ["SourceFormat"] = "fit", ["SourceFileName"] = "run.fit", ["ContentSha256"] = "ab" + a, ["ImportedAt"] = t0 });
            for (var s = 0; s < 2; s++)
            {
                var session = Guid.NewGuid();
                var started = t0 + s * 10_000;
                await InsertAsync(c, "Sessions", new() { ["Id"] = Id(session), ["AthleteId"] = Id(athlete), ["PrescriptionId"] = null, ["ProtocolName"] = "strength-lower", ["Simulated"] = true, ["StartedByUserId"] = "u-clin", ["StartedAt"] = started, ["EndedAt"] = s == 0 ? started + 900_000 : null, ["EndReason"] = s == 0 ? "completed" : null });
                for (var e = 1; e <= 5; e++)
                {
                    await InsertAsync(c, "SessionEvents", new() { ["SessionId"] = Id(session), ["Seq"] = e, ["At"] = started + e * 1000, ["Kind"] = "set-start", ["CuffId"] = "left-leg", ["Detail"] = $"set {e}" });
                    EventRows++;
                }
                for (var k = 0; k < 20; k++)
                {
                    await InsertAsync(c, "TelemetrySamples", new() { ["SessionId"] = Id(session), ["CuffId"] = "left-leg", ["At"] = started + k * 250, ["PressureMmHg"] = 140.0 + k * 0.25, ["TargetMmHg"] = 140.0 });
                    TelemetryRows++;
                }
            }
            await InsertAsync(c, "AuditLog", new() { ["At"] = t0, ["ActorUserId"] = "u-clin", ["Action"] = "athlete.read", ["AthleteId"] = Id(athlete), ["Detail"] = null });
        }
    }

    private Dictionary<string, object?> User(string id, string email) => new()
    {
        ["Id"] = id, ["DisplayName"] = "Dr Clin", ["UserName"] = email, ["NormalizedUserName"] = email.ToUpperInvariant(), ["Email"] = email,
        ["NormalizedEmail"] = email.ToUpperInvariant(), ["EmailConfirmed"] = true, ["PasswordHash"] = "hash", ["SecurityStamp"] = "s",
        ["ConcurrencyStamp"] = "c", ["PhoneNumber"] = null, ["PhoneNumberConfirmed"] = false, ["TwoFactorEnabled"] = false,
        ["LockoutEnd"] = null, ["LockoutEnabled"] = true, ["AccessFailedCount"] = 0,
    };

    // EF's SQLite provider stores GUIDs as upper-case text; PostgreSQL has a uuid type.
    private object Id(Guid g) => _pg ? g : g.ToString().ToUpperInvariant();

    private static async Task InsertAsync(DbConnection c, string table, Dictionary<string, object?> row)
    {
        await using var cmd = c.CreateCommand();
        var names = row.Keys.ToList();
        cmd.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => "@p" + i))})";
        for (var i = 0; i < names.Count; i++)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@p" + i;
            p.Value = row[names[i]] ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        await cmd.ExecuteNonQueryAsync();
    }
}
