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

    /// <summary>Every (provider, version before the latest) pair: the upgrade test starts from each.</summary>
    public static TheoryData<string, int> ProvidersAndEarlierVersions()
    {
        var data = new TheoryData<string, int>();
        string[] providers = ScratchDatabase.PostgresServer is null ? ["sqlite"] : ["sqlite", "postgres"];
        foreach (var provider in providers)
        {
            foreach (var version in Migrations.All.Select(m => m.Version).Where(v => v < Migrations.Latest))
            {
                data.Add(provider, version);
            }
        }
        return data;
    }

    /// <summary>
    /// The upgrade test: a database at an earlier version holding rows in every table it has keeps
    /// every row and value at the latest version.
    /// </summary>
    [Theory]
    [MemberData(nameof(ProvidersAndEarlierVersions))]
    public async Task Migrate_FromEarlierVersionWithData_KeepsEveryRowAndValue(string provider, int fromVersion)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        (await SchemaMigrator.MigrateAsync(db.Settings, fromVersion)).To.ShouldBe(fromVersion);
        var filler = new OldVersionFiller(db.Settings, fromVersion);
        await filler.FillAsync(athletes: 3);

        var tables = OldVersionFiller.TablesAt(fromVersion);
        var before = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            before[table] = await RowsAsync(db.Settings, table);
            before[table].Count.ShouldBeGreaterThan(0, $"the filler left {table} empty");
        }

        var result = await SchemaMigrator.MigrateAsync(db.Settings);
        result.From.ShouldBe(fromVersion);
        result.To.ShouldBe(Migrations.Latest);

        foreach (var table in tables)
        {
            var after = await RowsAsync(db.Settings, table, onlyColumnsOf: before[table]);
            after.Order().ShouldBe(before[table].Order(), $"rows of {table} changed");
        }

        // The latest model reads every old row, and later versions' new columns are filled in.
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
        (await ctx.Screenings.CountAsync()).ShouldBe(3);
        (await ctx.StrengthTests.CountAsync()).ShouldBe(filler.StrengthTestRows);
        (await ctx.ScreeningClearances.CountAsync()).ShouldBe(filler.ClearanceRows);
        if (fromVersion >= 3)
        {
            var tests = await ctx.StrengthTests.OrderBy(t => t.TestedOn).ThenBy(t => t.Limb).ToListAsync();
            tests[0].TestedOn.ShouldBe(new DateOnly(2026, 10, 5));
            tests.ShouldContain(t => t.Limb == Core.Limbs.Limb.RightLeg && t.Involved && t.LoadKg == 60.5 && t.Reps == 10);
            (await ctx.ScreeningClearances.FirstAsync()).ItemId.ShouldBe("diabetes");
        }
        if (fromVersion < 5)
        {
            // Version 5's correction stamps: a row from before it was never corrected.
            (await ctx.StrengthTests.ToListAsync()).ShouldAllBe(t => t.UpdatedAt == null && t.UpdatedByUserId == null);
            (await ctx.ScreeningClearances.ToListAsync()).ShouldAllBe(c => c.UpdatedAt == null && c.UpdatedByUserId == null);
        }
        else
        {
            // A version-5 database's corrections keep their stamps.
            (await ctx.StrengthTests.ToListAsync()).Count(t => t.UpdatedAt != null && t.UpdatedByUserId == "u-clin").ShouldBe(3);
            (await ctx.ScreeningClearances.ToListAsync()).Count(c => c.UpdatedAt == DateTimeOffset.FromUnixTimeMilliseconds(1_780_000_500_000L)).ShouldBe(1);
        }
        if (fromVersion < 6)
        {
            // Version 6: every older row is version 1 (what a version-5 correction overwrote was not kept), and no history yet.
            (await ctx.StrengthTests.ToListAsync()).ShouldAllBe(t => t.Version == 1);
            (await ctx.ScreeningClearances.ToListAsync()).ShouldAllBe(c => c.Version == 1);
            (await ctx.RecordRevisions.CountAsync()).ShouldBe(0);
        }
        else
        {
            (await ctx.RecordRevisions.CountAsync()).ShouldBe(filler.RevisionRows);
        }
        if (fromVersion < 9)
        {
            // Version 9: every older LOP record is version 1, recorded when it was measured, never corrected, not withdrawn;
            // every older prescription is version 1 with no retirement reason. Their values are the ones written before.
            var lops = await ctx.LopRecords.ToListAsync();
            lops.Count.ShouldBe(3);
            lops.ShouldAllBe(l => l.Version == 1 && l.RecordedAt == l.MeasuredAt && l.UpdatedAt == null && l.WithdrawnAt == null && l.WithdrawnByUserId == null && l.WithdrawalReason == null);
            lops.Select(l => l.ValueMmHg).Order().ShouldBe([200.0, 201.0, 202.0]);
            var prescriptions = await ctx.Prescriptions.ToListAsync();
            prescriptions.ShouldAllBe(p => p.Version == 1 && p.RetiredReason == null && p.UpdatedAt == null && p.TargetMmHg == 140 && p.ReferenceLopMmHg == 200);
        }
        if (fromVersion >= 8)
        {
            // A version-8 database's timed hops keep their times.
            (await ctx.StrengthTests.ToListAsync()).Count(t => t.HopTimeSeconds == 2.5).ShouldBe(3);
        }
        else if (fromVersion >= 3)
        {
            // Version 8's hop time: rows from before it are load or distance results (NULL); the hop distance stays.
            (await ctx.StrengthTests.ToListAsync()).ShouldAllBe(t => t.HopTimeSeconds == null);
            (await ctx.StrengthTests.ToListAsync()).Count(t => t.HopDistanceCm == 121.5).ShouldBe(3);
        }
    }

    /// <summary>
    /// The filler covers every table the model maps at the latest version, and the model reads
    /// what it wrote: a new table must be added to the filler so the next upgrade test keeps its rows.
    /// </summary>
    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task Filler_AtLatestVersion_FillsEveryMappedTableReadably(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        var filler = new OldVersionFiller(db.Settings, Migrations.Latest);
        await filler.FillAsync(athletes: 2);
        await using var ctx = db.Context();
        var mapped = ctx.Model.GetEntityTypes().Select(e => e.GetTableName()!).ToHashSet();
        mapped.Except(OldVersionFiller.TablesAt(Migrations.Latest)).ShouldBeEmpty();
        foreach (var table in OldVersionFiller.TablesAt(Migrations.Latest))
        {
            (await CountAsync(db.Settings, table)).ShouldBeGreaterThan(0, table);
        }
        (await ctx.StrengthTests.ToListAsync()).Count.ShouldBe(filler.StrengthTestRows);
        (await ctx.ScreeningClearances.ToListAsync()).Count.ShouldBe(filler.ClearanceRows);
        var revisions = await ctx.RecordRevisions.ToListAsync();
        revisions.Count.ShouldBe(filler.RevisionRows);
        var snapshot = Revisions.RevisionSnapshot.Read<Strength.StrengthTestRecord>(revisions.First(r => r.RecordKind == Revisions.RevisedRecordKind.StrengthTest).SnapshotJson);
        (snapshot.Exercise, snapshot.LoadKg, snapshot.Limb).ShouldBe(("leg-press", (double?)58.5, (Core.Limbs.Limb?)Core.Limbs.Limb.RightLeg));
        (await ctx.StrengthTests.ToListAsync()).ShouldContain(t => t.Version == 2);
        (await ctx.StrengthTests.ToListAsync()).Count(t => t.Exercise == "timed-hop" && t.HopTimeSeconds == 2.5).ShouldBe(2);
        // A snapshot carries the hop time (a revision of a timed hop keeps it).
        var timed = (await ctx.StrengthTests.ToListAsync()).First(t => t.HopTimeSeconds is not null);
        Revisions.RevisionSnapshot.Read<Strength.StrengthTestRecord>(Revisions.RevisionSnapshot.Write(timed)).HopTimeSeconds.ShouldBe(2.5);
        Revisions.RevisionSnapshot.Write(timed).ShouldContain("\"hopTimeSeconds\":2.5");
        // Version 9: a corrected and a withdrawn LOP record, a recomputed and a retired prescription, and the withdrawn record's kept version.
        var lops = await ctx.LopRecords.ToListAsync();
        lops.Count(l => l.Version == 2 && l.UpdatedByUserId == "u-clin").ShouldBe(1);
        lops.Where(l => l.WithdrawnAt != null).Select(l => l.WithdrawalReason).ShouldBe(["typed 260 for 160", "typed 260 for 160"]);
        (await ctx.Prescriptions.ToListAsync()).Where(p => p.RetiredReason != null).Select(p => p.TargetMmHg).ShouldBe([208.0, 208.0]);
        (await ctx.Prescriptions.ToListAsync()).Count(p => p.Version == 2).ShouldBe(1);
        var kept = revisions.First(r => r.RecordKind == Revisions.RevisedRecordKind.Lop);
        (kept.Change, Revisions.RevisionSnapshot.Read<Lop.LopRecord>(kept.SnapshotJson).ValueMmHg).ShouldBe((Revisions.RevisionChange.Withdrawn, 260.0));
    }

    /// <summary>
    /// A version-8 database with LOP records and prescriptions made from them, upgraded: the rows read
    /// back as version 1, and the version column guards a correction made from a stale read (the
    /// concurrency token the web app's 409 rests on) on the upgraded table.
    /// </summary>
    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task Migrate_Version8WithLopsAndPrescriptions_UpgradedRowsAreVersion1_AndAStaleCorrectionIsRefused(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings, 8);
        await new OldVersionFiller(db.Settings, 8).FillAsync(athletes: 2);
        var before = await RowsAsync(db.Settings, "LopRecords");
        (await SchemaMigrator.MigrateAsync(db.Settings)).Applied.ShouldBe([9]);
        (await RowsAsync(db.Settings, "LopRecords", onlyColumnsOf: before)).Order().ShouldBe(before.Order());

        Lop.LopRecord lop;
        await using (var first = db.Context())
        {
            lop = await first.LopRecords.OrderBy(l => l.ValueMmHg).FirstAsync();
            (lop.Version, lop.ValueMmHg, lop.RecordedAt).ShouldBe((1, 200.0, lop.MeasuredAt));
            (await first.Prescriptions.CountAsync(p => p.LopRecordId == lop.Id && p.Version == 1 && p.RetiredAt == null)).ShouldBe(1);
        }
        await using (var a = db.Context())
        await using (var b = db.Context())
        {
            // Both read version 1; the first correction moves the row to version 2, the second (from version 1) finds nothing to update.
            var rowA = await a.LopRecords.SingleAsync(l => l.Id == lop.Id);
            var rowB = await b.LopRecords.SingleAsync(l => l.Id == lop.Id);
            rowA.ValueMmHg = 160;
            rowA.Version = 2;
            await a.SaveChangesAsync();
            rowB.ValueMmHg = 170;
            rowB.Version = 2;
            await Should.ThrowAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());
        }
        await using var check = db.Context();
        (await check.LopRecords.SingleAsync(l => l.Id == lop.Id)).ValueMmHg.ShouldBe(160);
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

/// <summary>Fills every table of an old schema version with plain SQL, as an old build would have left it.</summary>
/// <param name="settings">the database.</param>
/// <param name="version">the schema version the database is at (its columns and tables are filled).</param>
internal sealed class OldVersionFiller(DatabaseSettings settings, int version)
{
    private static readonly string[] Version1Tables =
    [
        "AspNetRoles", "AspNetUsers", "AspNetUserRoles", "AspNetUserClaims", "AspNetRoleClaims", "AspNetUserLogins", "AspNetUserTokens",
        "Athletes", "ClinicianLinks", "Screenings", "LopRecords", "Prescriptions", "Plans", "Activities",
        "Sessions", "SessionEvents", "TelemetrySamples", "AuditLog",
    ];

    /// <summary>The tables a database at <paramref name="atVersion"/> has (all of them get rows).</summary>
    public static IReadOnlyList<string> TablesAt(int atVersion)
        => atVersion switch
        {
            >= 6 => [.. Version1Tables, "StrengthTests", "ScreeningClearances", "SessionCommands", "RecordRevisions"],
            >= 4 => [.. Version1Tables, "StrengthTests", "ScreeningClearances", "SessionCommands"],
            3 => [.. Version1Tables, "StrengthTests", "ScreeningClearances"],
            _ => Version1Tables,
        };

    private readonly bool _pg = settings.Provider == DatabaseProvider.Postgres;

    public int TelemetryRows { get; private set; }

    public int EventRows { get; private set; }

    public int StrengthTestRows { get; private set; }

    public int ClearanceRows { get; private set; }

    public int RevisionRows { get; private set; }

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
            var athleteRow = new Dictionary<string, object?> { ["Id"] = Id(athlete), ["DisplayName"] = $"Runner {a}", ["UserId"] = null, ["BirthYear"] = 1980 + a, ["Sex"] = a % 2 == 0 ? "Female" : "Male", ["Injury"] = a == 1 ? "Achilles" : null, ["CreatedAt"] = t0 + a };
            if (version >= 2)
            {
                athleteRow["CalendarToken"] = $"{a}{Guid.NewGuid():N}";
            }
            await InsertAsync(c, "Athletes", athleteRow);
            await InsertAsync(c, "ClinicianLinks", new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["ClinicianUserId"] = "u-clin", ["CreatedAt"] = t0, ["EndedAt"] = a == 2 ? t0 + 5 : null });
            var screening = Guid.NewGuid();
            await InsertAsync(c, "Screenings", new() { ["Id"] = Id(screening), ["AthleteId"] = Id(athlete), ["TakenAt"] = t0, ["AnswersJson"] = "{\"dvt\":false}", ["OutcomeJson"] = "{}", ["Overall"] = "Eligible", ["RecordedByUserId"] = "u-clin", ["ClearedByUserId"] = null, ["ClearedAt"] = null, ["ClearanceNote"] = null });
            var lop = Guid.NewGuid();
            await InsertAsync(c, "LopRecords", LopStamped(new() { ["Id"] = Id(lop), ["AthleteId"] = Id(athlete), ["Limb"] = "LeftLeg", ["Position"] = "Seated", ["CuffWidthCm"] = 11.5, ["Method"] = "Doppler", ["ValueMmHg"] = 200.0 + a, ["UncertaintyMmHg"] = 0.0, ["MeasuredAt"] = t0, ["RecordedByUserId"] = "u-clin", ["Note"] = null }, t0, corrected: a == 0));
            await InsertAsync(c, "Prescriptions", PrescriptionStamped(new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["LopRecordId"] = Id(lop), ["Limb"] = "LeftLeg", ["Position"] = "Seated", ["Modality"] = "Resistance", ["ProtocolName"] = "strength-lower", ["TargetPercent"] = 70.0, ["ReferenceLopMmHg"] = 200.0, ["LowMmHg"] = 100.0, ["HighMmHg"] = 160.0, ["TargetMmHg"] = 140.0, ["Conservative"] = false, ["SessionsPerWeek"] = 2, ["NotesJson"] = "[]", ["SourcesJson"] = "[\"x\"]", ["CreatedAt"] = t0, ["CreatedByUserId"] = "u-clin", ["RetiredAt"] = null }, recomputed: a == 0));
            if (version >= 9)
            {
                // A withdrawn LOP record (the row stays) with its kept version, and the prescription it retired.
                var withdrawn = Guid.NewGuid();
                await InsertAsync(c, "LopRecords", new()
                {
                    ["Id"] = Id(withdrawn), ["AthleteId"] = Id(athlete), ["Limb"] = "RightLeg", ["Position"] = "Standing", ["CuffWidthCm"] = 11.5, ["Method"] = "Doppler", ["ValueMmHg"] = 260.0,
                    ["UncertaintyMmHg"] = 0.0, ["MeasuredAt"] = t0, ["RecordedByUserId"] = "u-clin", ["Note"] = null, ["RecordedAt"] = t0, ["UpdatedAt"] = null, ["UpdatedByUserId"] = null,
                    ["Version"] = 1, ["WithdrawnAt"] = t0 + 60_000, ["WithdrawnByUserId"] = "u-clin", ["WithdrawalReason"] = "typed 260 for 160",
                });
                await InsertAsync(c, "RecordRevisions", new()
                {
                    ["AthleteId"] = Id(athlete), ["RecordKind"] = "Lop", ["RecordId"] = Id(withdrawn), ["Version"] = 1, ["Change"] = "Withdrawn",
                    ["SnapshotJson"] = $$"""{"id":"{{withdrawn}}","athleteId":"{{athlete}}","limb":"RightLeg","position":"Standing","cuffWidthCm":11.5,"method":"Doppler","valueMmHg":260,"version":1}""",
                    ["ChangedByUserId"] = "u-clin", ["ChangedAt"] = t0 + 60_000,
                });
                RevisionRows++;
                await InsertAsync(c, "Prescriptions", new()
                {
                    ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["LopRecordId"] = Id(withdrawn), ["Limb"] = "RightLeg", ["Position"] = "Standing", ["Modality"] = "Resistance",
                    ["ProtocolName"] = "strength-lower", ["TargetPercent"] = 80.0, ["ReferenceLopMmHg"] = 260.0, ["LowMmHg"] = 130.0, ["HighMmHg"] = 208.0, ["TargetMmHg"] = 208.0,
                    ["Conservative"] = false, ["SessionsPerWeek"] = 2, ["NotesJson"] = "[]", ["SourcesJson"] = "[\"x\"]", ["CreatedAt"] = t0, ["CreatedByUserId"] = "u-clin",
                    ["RetiredAt"] = t0 + 60_000, ["RetiredReason"] = "the LOP record was withdrawn", ["UpdatedAt"] = null, ["UpdatedByUserId"] = null, ["Version"] = 1,
                });
            }
            await InsertAsync(c, "Plans", new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["CreatedAt"] = t0, ["CreatedByUserId"] = "u-clin", ["StartDate"] = _pg ? new DateOnly(2026, 12, 7) : "2026-12-07", ["Weeks"] = 16, ["InputsJson"] = "{}", ["PlanJson"] = "{\"weeks\":[]}" });
            await InsertAsync(c, "Activities", new() { ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["StartedAt"] = t0, ["Sport"] = "running", ["DistanceMeters"] = 10000.5, ["DurationSeconds"] = 3000.0, ["AverageHeartRate"] = 150.0, ["Rpe"] = null, ["SourceFormat"] = "fit", ["SourceFileName"] = "run.fit", ["ContentSha256"] = "ab" + a, ["ImportedAt"] = t0 });
            for (var s = 0; s < 2; s++)
            {
                var session = Guid.NewGuid();
                var started = t0 + s * 10_000;
                var sessionRow = new Dictionary<string, object?> { ["Id"] = Id(session), ["AthleteId"] = Id(athlete), ["PrescriptionId"] = null, ["ProtocolName"] = "strength-lower", ["Simulated"] = true, ["StartedByUserId"] = "u-clin", ["StartedAt"] = started, ["EndedAt"] = s == 0 ? started + 900_000 : null, ["EndReason"] = s == 0 ? "completed" : null };
                if (version >= 2)
                {
                    sessionRow["LastHeartbeatAt"] = s == 0 ? started + 900_000 : started;
                    sessionRow["NodeId"] = "node-1";
                }
                await InsertAsync(c, "Sessions", sessionRow);
                for (var e = 1; e <= 5; e++)
                {
                    await InsertAsync(c, "SessionEvents", new() { ["SessionId"] = Id(session), ["Seq"] = e, ["At"] = started + e * 1000, ["Kind"] = "set-start", ["CuffId"] = "left-leg", ["Detail"] = $"set {e}" });
                    EventRows++;
                }
                if (version >= 4)
                {
                    await InsertAsync(c, "SessionCommands", new()
                    {
                        ["SessionId"] = Id(session), ["TargetNodeId"] = "node-1", ["Kind"] = s == 0 ? "stop" : "symptom", ["Symptom"] = s == 0 ? null : "pain", ["Pain"] = s == 0 ? null : 8,
                        ["RequestedByUserId"] = "u-clin", ["RequestedOnNodeId"] = "node-2", ["RequestedAt"] = started + 500, ["AppliedAt"] = s == 0 ? started + 650 : null, ["Outcome"] = s == 0 ? "deflated" : null,
                    });
                }
                for (var k = 0; k < 20; k++)
                {
                    await InsertAsync(c, "TelemetrySamples", new() { ["SessionId"] = Id(session), ["CuffId"] = "left-leg", ["At"] = started + k * 250, ["PressureMmHg"] = 140.0 + k * 0.25, ["TargetMmHg"] = 140.0 });
                    TelemetryRows++;
                }
            }
            await InsertAsync(c, "AuditLog", new() { ["At"] = t0, ["ActorUserId"] = "u-clin", ["Action"] = "athlete.read", ["AthleteId"] = Id(athlete), ["Detail"] = null });
            if (version >= 3)
            {
                foreach (var (limb, involved, kg) in new[] { ("RightLeg", true, 60.5), ("LeftLeg", false, 80.0) })
                {
                    var testId = Guid.NewGuid();
                    if (version >= 6 && involved)
                    {
                        // The corrected row's first version (58.5 kg, mistyped), as a version-6 build keeps it.
                        await InsertAsync(c, "RecordRevisions", new()
                        {
                            ["AthleteId"] = Id(athlete), ["RecordKind"] = "StrengthTest", ["RecordId"] = Id(testId), ["Version"] = 1, ["Change"] = "Corrected",
                            ["SnapshotJson"] = $$"""{"id":"{{testId}}","athleteId":"{{athlete}}","testedOn":"2026-10-05","exercise":"leg-press","limb":"RightLeg","involved":true,"loadKg":58.5,"reps":10,"painScore":2,"recordedByUserId":"u-clin","recordedAt":"2026-05-28T20:26:40+00:00","version":1}""",
                            ["ChangedByUserId"] = "u-clin", ["ChangedAt"] = 1_780_000_500_000L,
                        });
                        RevisionRows++;
                    }
                    await InsertAsync(c, "StrengthTests", Stamped(new()
                    {
                        ["Id"] = Id(testId), ["AthleteId"] = Id(athlete), ["TestedOn"] = Date(new DateOnly(2026, 10, 5)), ["Exercise"] = "leg-press", ["Limb"] = limb,
                        ["Involved"] = involved, ["LoadKg"] = kg, ["Reps"] = 10, ["MeasuredOneRepMaxKg"] = null, ["HopDistanceCm"] = null, ["PainScore"] = 2,
                        ["StageClearance"] = null, ["RecordedByUserId"] = "u-clin", ["RecordedAt"] = t0, ["Note"] = null,
                    }, edited: involved));
                    StrengthTestRows++;
                }
                await InsertAsync(c, "StrengthTests", Stamped(new()
                {
                    ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["TestedOn"] = Date(new DateOnly(2026, 10, 19)), ["Exercise"] = "single-leg-hop", ["Limb"] = "RightLeg",
                    ["Involved"] = true, ["LoadKg"] = null, ["Reps"] = null, ["MeasuredOneRepMaxKg"] = null, ["HopDistanceCm"] = 121.5, ["PainScore"] = null,
                    ["StageClearance"] = true, ["RecordedByUserId"] = "u-clin", ["RecordedAt"] = t0 + 1, ["Note"] = "hop",
                }, edited: false));
                StrengthTestRows++;
                if (version >= 8)
                {
                    // A 6 m timed hop: the involved leg's time, seconds.
                    await InsertAsync(c, "StrengthTests", Stamped(new()
                    {
                        ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["TestedOn"] = Date(new DateOnly(2026, 10, 19)), ["Exercise"] = "timed-hop", ["Limb"] = "RightLeg",
                        ["Involved"] = true, ["LoadKg"] = null, ["Reps"] = null, ["MeasuredOneRepMaxKg"] = null, ["HopDistanceCm"] = null, ["HopTimeSeconds"] = 2.5,
                        ["PainScore"] = null, ["StageClearance"] = null, ["RecordedByUserId"] = "u-clin", ["RecordedAt"] = t0 + 2, ["Note"] = null,
                    }, edited: false));
                    StrengthTestRows++;
                }
                await InsertAsync(c, "ScreeningClearances", Stamped(new()
                {
                    ["Id"] = Id(Guid.NewGuid()), ["AthleteId"] = Id(athlete), ["ScreeningId"] = Id(screening), ["ItemId"] = "diabetes", ["Limb"] = a == 0 ? null : "LeftLeg",
                    ["ClinicianUserId"] = "u-clin", ["ClinicianName"] = "Dr Clin", ["ClearedOn"] = Date(new DateOnly(2026, 10, 1)), ["RecordedAt"] = t0, ["Note"] = "HbA1c fine",
                }, edited: a == 1));
                ClearanceRows++;
            }
        }
    }

    /// <summary>From version 9 a LOP record has its version, correction and withdrawal columns; <paramref name="corrected"/> makes it a corrected one (version 2).</summary>
    private Dictionary<string, object?> LopStamped(Dictionary<string, object?> row, long recordedAt, bool corrected)
    {
        if (version >= 9)
        {
            row["RecordedAt"] = recordedAt;
            row["UpdatedAt"] = corrected ? recordedAt + 30_000 : null;
            row["UpdatedByUserId"] = corrected ? "u-clin" : null;
            row["Version"] = corrected ? 2 : 1;
            row["WithdrawnAt"] = null;
            row["WithdrawnByUserId"] = null;
            row["WithdrawalReason"] = null;
        }
        return row;
    }

    /// <summary>From version 9 a prescription has its version and retirement reason; <paramref name="recomputed"/> makes it one a LOP correction recomputed (version 2).</summary>
    private Dictionary<string, object?> PrescriptionStamped(Dictionary<string, object?> row, bool recomputed)
    {
        if (version >= 9)
        {
            row["RetiredReason"] = null;
            row["UpdatedAt"] = recomputed ? 1_780_000_030_000L : null;
            row["UpdatedByUserId"] = recomputed ? "u-clin" : null;
            row["Version"] = recomputed ? 2 : 1;
        }
        return row;
    }

    /// <summary>From version 5 a row says who last corrected it and when (null when never); from version 6 its version number.</summary>
    private Dictionary<string, object?> Stamped(Dictionary<string, object?> row, bool edited)
    {
        if (version >= 5)
        {
            row["UpdatedAt"] = edited ? 1_780_000_500_000L : null;
            row["UpdatedByUserId"] = edited ? "u-clin" : null;
        }
        if (version >= 6)
        {
            row["Version"] = edited ? 2 : 1;
        }
        if (version >= 8 && row.ContainsKey("Exercise"))
        {
            row.TryAdd("HopTimeSeconds", null);
        }
        return row;
    }

    private Dictionary<string, object?> User(string id, string email) => new()
    {
        ["Id"] = id, ["DisplayName"] = "Dr Clin", ["UserName"] = email, ["NormalizedUserName"] = email.ToUpperInvariant(), ["Email"] = email,
        ["NormalizedEmail"] = email.ToUpperInvariant(), ["EmailConfirmed"] = true, ["PasswordHash"] = "hash", ["SecurityStamp"] = "s",
        ["ConcurrencyStamp"] = "c", ["PhoneNumber"] = null, ["PhoneNumberConfirmed"] = false, ["TwoFactorEnabled"] = false,
        ["LockoutEnd"] = null, ["LockoutEnabled"] = true, ["AccessFailedCount"] = 0,
    };

    // EF's SQLite provider stores dates as yyyy-MM-dd text; PostgreSQL has a date type.
    private object Date(DateOnly d) => _pg ? d : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

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
