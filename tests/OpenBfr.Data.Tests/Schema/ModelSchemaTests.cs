using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Units;
using OpenBfr.Data.Activities;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Audit;
using OpenBfr.Data.Lop;
using OpenBfr.Data.Plans;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Data.Schema;
using OpenBfr.Data.Screening;
using OpenBfr.Data.Strength;

namespace OpenBfr.Data.Tests.Schema;

public sealed class ModelSchemaTests
{
    /// <summary>The EF model is mapped by hand onto hand-written SQL: every mapped column must exist after migrating.</summary>
    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task Model_AfterMigrating_EveryMappedColumnExists(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        await using var ctx = db.Context();
        var checkedColumns = 0;
        foreach (var entity in ctx.Model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            var columns = entity.GetProperties().Select(p => p.GetColumnName()).ToList();
            var sql = $"SELECT {string.Join(", ", columns.Select(c => $"\"{c}\""))} FROM \"{table}\" WHERE 1 = 0";
            await using var connection = db.Settings.CreateConnection();
            await connection.OpenAsync();
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            await Should.NotThrowAsync(async () => { await using var r = await cmd.ExecuteReaderAsync(); }, $"{table}: {sql}");
            checkedColumns += columns.Count;
        }
        checkedColumns.ShouldBeGreaterThan(90);
    }

    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task SaveChanges_EveryKindOfRecord_ReadsBackEqual(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        var at = new DateTimeOffset(2026, 11, 20, 7, 30, 15, 123, TimeSpan.Zero);
        var athlete = new Athlete { Id = Guid.NewGuid(), DisplayName = "Ada Runner", BirthYear = 1990, Sex = Sex.Female, CreatedAt = at, CalendarToken = "tok" + Guid.NewGuid().ToString("N") };
        var lopCore = new LimbOcclusionPressure(Pressure.FromMmHg(212), Limb.RightLeg, BodyPosition.Standing, CuffDescription.StandardLeg, LopMethod.Doppler, at);
        var lop = LopRecord.From(lopCore, athlete.Id, "u1", "Doppler at the posterior tibial artery");
        await using (var ctx = db.Context())
        {
            ctx.Athletes.Add(athlete);
            ctx.ClinicianLinks.Add(new ClinicianLink { Id = Guid.NewGuid(), AthleteId = athlete.Id, ClinicianUserId = "u1", CreatedAt = at });
            var screeningId = Guid.NewGuid();
            ctx.Screenings.Add(new ScreeningRecord { Id = screeningId, AthleteId = athlete.Id, TakenAt = at, Overall = "NeedsClearance", RecordedByUserId = "u1", AnswersJson = "{\"diabetes\":true}", OutcomeJson = "{}" });
            ctx.ScreeningClearances.Add(new ScreeningClearanceRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, ScreeningId = screeningId, ItemId = "diabetes", Limb = Limb.LeftLeg, ClinicianUserId = "u1", ClinicianName = "Dr One", ClearedOn = new DateOnly(2026, 11, 19), RecordedAt = at, Note = "well controlled" });
            ctx.ScreeningClearances.Add(new ScreeningClearanceRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, ScreeningId = screeningId, ItemId = "varicose-veins", Limb = null, ClinicianUserId = "u1", ClinicianName = "Dr One", ClearedOn = new DateOnly(2026, 11, 19), RecordedAt = at });
            ctx.StrengthTests.Add(new StrengthTestRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, TestedOn = new DateOnly(2026, 11, 18), Exercise = "leg-press", Limb = Limb.RightLeg, Involved = true, LoadKg = 62.5, Reps = 8, PainScore = 1, StageClearance = true, RecordedByUserId = "u1", RecordedAt = at });
            ctx.StrengthTests.Add(new StrengthTestRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, TestedOn = new DateOnly(2026, 11, 18), Exercise = "squat", Limb = null, MeasuredOneRepMaxKg = 100, RecordedByUserId = "u1", RecordedAt = at, Note = "bilateral" });
            ctx.LopRecords.Add(lop);
            ctx.Prescriptions.Add(new PrescriptionRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, LopRecordId = lop.Id, Limb = Limb.RightLeg, Position = BodyPosition.Standing, Modality = Modality.WalkIntervals, ProtocolName = "walk-intervals", TargetPercent = 50, ReferenceLopMmHg = 212, LowMmHg = 106, HighMmHg = 127, TargetMmHg = 106, SessionsPerWeek = 2, CreatedAt = at, CreatedByUserId = "u1" });
            ctx.Plans.Add(new PlanRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, CreatedAt = at, CreatedByUserId = "u1", StartDate = new DateOnly(2026, 12, 7), Weeks = 16, InputsJson = "{}", PlanJson = "{}" });
            ctx.Activities.Add(new ActivityRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, StartedAt = at, DistanceMeters = 21097.5, DurationSeconds = 5400, SourceFormat = "gpx", SourceFileName = "half.gpx", ContentSha256 = "00ff", ImportedAt = at });
            ctx.AuditLog.Add(new AuditEntry { At = at, ActorUserId = "u1", Action = "athlete.read", AthleteId = athlete.Id });
            await ctx.SaveChangesAsync();
        }
        await using (var ctx = db.Context())
        {
            var a = await ctx.Athletes.SingleAsync(x => x.Id == athlete.Id);
            a.Sex.ShouldBe(Sex.Female);
            a.CreatedAt.ShouldBe(at);
            var l = await ctx.LopRecords.SingleAsync(x => x.AthleteId == athlete.Id && x.MeasuredAt >= at && x.Limb == Limb.RightLeg);
            l.ToDomain().ShouldBe(lopCore);
            (await ctx.Prescriptions.SingleAsync()).Modality.ShouldBe(Modality.WalkIntervals);
            (await ctx.Plans.SingleAsync()).StartDate.ShouldBe(new DateOnly(2026, 12, 7));
            (await ctx.Activities.SingleAsync()).DistanceMeters.ShouldBe(21097.5);
            (await ctx.AuditLog.OrderByDescending(x => x.At).FirstAsync()).AthleteId.ShouldBe(athlete.Id);
            (await ctx.Screenings.SingleAsync()).Overall.ShouldBe("NeedsClearance");
            var clearances = await ctx.ScreeningClearances.OrderBy(c => c.ItemId).ToListAsync();
            clearances.Select(c => (c.ItemId, c.Limb)).ShouldBe([("diabetes", Limb.LeftLeg), ("varicose-veins", (Limb?)null)]);
            clearances[0].ClearedOn.ShouldBe(new DateOnly(2026, 11, 19));
            clearances[0].RecordedAt.ShouldBe(at);
            var tests = await ctx.StrengthTests.Where(t => t.TestedOn == new DateOnly(2026, 11, 18)).OrderBy(t => t.Exercise).ToListAsync();
            tests.Count.ShouldBe(2);
            (tests[0].Limb, tests[0].Involved, tests[0].LoadKg, tests[0].Reps, tests[0].PainScore, tests[0].StageClearance).ShouldBe((Limb.RightLeg, true, 62.5, 8, 1, true));
            (tests[1].Limb, tests[1].MeasuredOneRepMaxKg, tests[1].LoadKg, tests[1].StageClearance).ShouldBe(((Limb?)null, 100.0, (double?)null, (bool?)null));
        }
    }

    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task SaveChanges_SameActivityFileTwice_IsRejectedByTheUniqueIndex(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        var athlete = new Athlete { Id = Guid.NewGuid(), DisplayName = "B", CalendarToken = "t1" };
        await using var ctx = db.Context();
        ctx.Athletes.Add(athlete);
        ctx.Activities.Add(new ActivityRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, ContentSha256 = "same", SourceFormat = "fit", SourceFileName = "a.fit" });
        ctx.Activities.Add(new ActivityRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, ContentSha256 = "same", SourceFormat = "fit", SourceFileName = "b.fit" });
        await Should.ThrowAsync<DbUpdateException>(() => ctx.SaveChangesAsync());
    }

    /// <summary>
    /// Two editors read version 1 of a test; the first saves its correction (version 2); the second's
    /// UPDATE and DELETE name version 1 and change nothing: the version column is the concurrency token on both engines.
    /// </summary>
    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task SaveChanges_RowChangedSinceRead_ThrowsConcurrencyAndKeepsTheFirstEdit(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        var athlete = new Athlete { Id = Guid.NewGuid(), DisplayName = "C", CalendarToken = "t2" };
        var test = new StrengthTestRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, TestedOn = new DateOnly(2026, 11, 18), Exercise = "leg-press", Limb = Limb.LeftLeg, LoadKg = 60, Reps = 8, RecordedByUserId = "u1" };
        var clearance = new ScreeningClearanceRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, ItemId = "diabetes", ClinicianUserId = "u1", ClinicianName = "Dr One", ClearedOn = new DateOnly(2026, 11, 19), Note = "first" };
        await using (var ctx = db.Context())
        {
            ctx.Athletes.Add(athlete);
            var screening = new ScreeningRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, Overall = "NeedsClearance", RecordedByUserId = "u1", AnswersJson = "{}", OutcomeJson = "{}" };
            ctx.Screenings.Add(screening);
            clearance.ScreeningId = screening.Id;
            ctx.StrengthTests.Add(test);
            ctx.ScreeningClearances.Add(clearance);
            await ctx.SaveChangesAsync();
        }
        await using var first = db.Context();
        await using var second = db.Context();
        var a = await first.StrengthTests.SingleAsync(t => t.Id == test.Id);
        var b = await second.StrengthTests.SingleAsync(t => t.Id == test.Id);
        var ca = await first.ScreeningClearances.SingleAsync(c => c.Id == clearance.Id);
        var cb = await second.ScreeningClearances.SingleAsync(c => c.Id == clearance.Id);
        (a.Version, b.Version, ca.Version).ShouldBe((1, 1, 1));
        a.LoadKg = 65;
        a.Version++;
        ca.Note = "second";
        ca.Version++;
        await first.SaveChangesAsync();

        b.LoadKg = 70;
        b.Version++;
        await Should.ThrowAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        second.ChangeTracker.Clear();
        second.ScreeningClearances.Remove(cb);
        await Should.ThrowAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        await using var check = db.Context();
        var stored = await check.StrengthTests.SingleAsync(t => t.Id == test.Id);
        (stored.LoadKg, stored.Version).ShouldBe(((double?)65, 2));
        var kept = await check.ScreeningClearances.SingleAsync(c => c.Id == clearance.Id);
        (kept.Note, kept.Version).ShouldBe(("second", 2));
    }

    [Theory]
    [MemberData(nameof(ScratchDatabase.Providers), MemberType = typeof(ScratchDatabase))]
    public async Task RecordRevision_SnapshotAndStamps_ReadBackEqual_AndAVersionIsKeptOnce(string provider)
    {
        await using var db = await ScratchDatabase.CreateAsync(provider);
        await SchemaMigrator.MigrateAsync(db.Settings);
        var at = new DateTimeOffset(2026, 11, 20, 7, 30, 15, 123, TimeSpan.Zero);
        var athlete = new Athlete { Id = Guid.NewGuid(), DisplayName = "D", CalendarToken = "t3" };
        var row = new StrengthTestRecord { Id = Guid.NewGuid(), AthleteId = athlete.Id, TestedOn = new DateOnly(2026, 11, 18), Exercise = "calf-raise", Limb = Limb.RightLeg, Involved = true, LoadKg = 400, Reps = 10, RecordedByUserId = "u1", RecordedAt = at };
        await using (var ctx = db.Context())
        {
            ctx.Athletes.Add(athlete);
            ctx.RecordRevisions.Add(new Revisions.RecordRevision
            {
                AthleteId = athlete.Id, RecordKind = Revisions.RevisedRecordKind.StrengthTest, RecordId = row.Id, Version = 1, Change = Revisions.RevisionChange.Corrected,
                SnapshotJson = Revisions.RevisionSnapshot.Write(row), ChangedByUserId = "u2", ChangedAt = at.AddMinutes(5),
            });
            await ctx.SaveChangesAsync();
        }
        await using (var ctx = db.Context())
        {
            var r = await ctx.RecordRevisions.SingleAsync(x => x.RecordId == row.Id);
            (r.RecordKind, r.Change, r.Version, r.ChangedByUserId, r.ChangedAt).ShouldBe((Revisions.RevisedRecordKind.StrengthTest, Revisions.RevisionChange.Corrected, 1, "u2", at.AddMinutes(5)));
            r.SnapshotJson.ShouldContain("\"limb\":\"RightLeg\"");
            var back = Revisions.RevisionSnapshot.Read<StrengthTestRecord>(r.SnapshotJson);
            (back.Id, back.LoadKg, back.Reps, back.Limb, back.Involved, back.RecordedAt, back.Version).ShouldBe((row.Id, (double?)400, (int?)10, (Limb?)Limb.RightLeg, true, at, 1));
            // A second snapshot of the same version of the same record (two racing edits) is refused by the unique index.
            ctx.RecordRevisions.Add(new Revisions.RecordRevision
            {
                AthleteId = athlete.Id, RecordKind = Revisions.RevisedRecordKind.StrengthTest, RecordId = row.Id, Version = 1, Change = Revisions.RevisionChange.Deleted,
                SnapshotJson = "{}", ChangedByUserId = "u3", ChangedAt = at.AddMinutes(6),
            });
            await Should.ThrowAsync<DbUpdateException>(() => ctx.SaveChangesAsync());
        }
    }

    [Fact]
    public void ToDomain_StoredValueOutsideAcceptedRange_ThrowsNamingTheRange()
    {
        var row = new LopRecord { Limb = Limb.LeftArm, Position = BodyPosition.Seated, CuffWidthCm = 5, Method = LopMethod.Doppler, ValueMmHg = 450 };
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => row.ToDomain());
        ex.Message.ShouldContain("50–400 mmHg");
    }

    [PostgresFact]
    public void PostgresServer_IsConfigured_SoProviderTheoriesRunOnBothEngines()
        => ScratchDatabase.Providers().Count.ShouldBe(2);
}
