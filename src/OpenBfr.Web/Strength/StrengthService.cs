using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Metrics;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Audit;
using OpenBfr.Data.Revisions;
using OpenBfr.Data.Strength;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Strength;

/// <summary>One limb's result in a test.</summary>
/// <param name="Limb">"left-leg", "right-leg", "left-arm", "right-arm"; null or "both" for a two-legged lift.</param>
/// <param name="Involved">true for the injured or operated limb (at most one per test).</param>
/// <param name="LoadKg">load lifted to failure, 0–1000 kg, with <paramref name="Reps"/>.</param>
/// <param name="Reps">repetitions to failure, 1–12 (the 1RM equations are not valid beyond 12).</param>
/// <param name="OneRepMaxKg">a measured 1RM, 0–1000 kg; preferred over the estimate.</param>
/// <param name="HopDistanceCm">hop tests for distance: 10–1500 cm.</param>
/// <param name="HopTimeSeconds">the 6 m timed hop: time, 1.0–10.0 s (lower is better).</param>
public sealed record StrengthResultInput(string? Limb, bool Involved = false, double? LoadKg = null, int? Reps = null, double? OneRepMaxKg = null, double? HopDistanceCm = null,
    double? HopTimeSeconds = null);

/// <summary>A test on one day: one exercise, one or two limbs.</summary>
/// <param name="Exercise">one of <see cref="StrengthExercises.All"/>, or "check-in" for pain and the stage decision without a test.</param>
/// <param name="Results">1 or 2 results; two are the two sides of the same limb pair; none for a check-in.</param>
/// <param name="TestedOn">the day; default today; not in the future.</param>
/// <param name="PainScore">pain during or after the test, 0–10.</param>
/// <param name="StageClearance">clinicians only: true clears the next rehab stage, false withholds it.</param>
/// <param name="Note">≤ 200 characters.</param>
public sealed record RecordStrengthTestRequest(string Exercise, IReadOnlyList<StrengthResultInput>? Results, DateOnly? TestedOn = null, int? PainScore = null,
    bool? StageClearance = null, string? Note = null);

/// <summary>A stored test result with its 1RM by both equations.</summary>
/// <param name="OneRepMaxKg">the 1RM the charts and the planner use: the measured one, else Epley's estimate.</param>
/// <param name="UpdatedAt">when the row was last corrected; null when never.</param>
/// <param name="Version">1 as recorded, one more per correction; the ETag is this number in quotes, for If-Match on PUT and DELETE.</param>
/// <param name="HopTimeSeconds">the 6 m timed hop's time, s; null for other tests.</param>
public sealed record StrengthTestDto(Guid Id, DateOnly TestedOn, string Exercise, string? Limb, bool Involved, double? LoadKg, int? Reps,
    double? MeasuredOneRepMaxKg, double? EpleyKg, double? BrzyckiKg, double? OneRepMaxKg, double? HopDistanceCm, int? PainScore, bool? StageClearance, string? Note,
    DateTimeOffset? UpdatedAt = null, int Version = 1, double? HopTimeSeconds = null);

/// <summary>
/// A correction of one stored result (one limb's row of a test), replacing its fields as create
/// takes them. The test's shared fields (exercise, day, pain, stage decision, note) are applied to
/// the other side of the same test too, so a limb pair stays a pair.
/// </summary>
/// <param name="Exercise">as for create; a check-in takes no result fields.</param>
/// <param name="TestedOn">the day; null keeps the stored day; not in the future.</param>
/// <param name="Limb">"left-leg", "right-leg", "left-arm", "right-arm"; null or "both" for a two-legged lift.</param>
/// <param name="Involved">true for the injured or operated limb.</param>
/// <param name="LoadKg">0–1000 kg, with <paramref name="Reps"/> (1–12).</param>
/// <param name="Reps">1–12.</param>
/// <param name="OneRepMaxKg">a measured 1RM, above 0 and at most 1000 kg.</param>
/// <param name="HopDistanceCm">hop tests for distance: 10–1500 cm.</param>
/// <param name="PainScore">0–10.</param>
/// <param name="StageClearance">clinicians only.</param>
/// <param name="Note">≤ 200 characters.</param>
/// <param name="HopTimeSeconds">the 6 m timed hop: 1.0–10.0 s.</param>
public sealed record UpdateStrengthTestRequest(string Exercise, DateOnly? TestedOn = null, string? Limb = null, bool Involved = false, double? LoadKg = null, int? Reps = null,
    double? OneRepMaxKg = null, double? HopDistanceCm = null, int? PainScore = null, bool? StageClearance = null, string? Note = null, double? HopTimeSeconds = null);

/// <summary>One point of a progress series.</summary>
public sealed record ProgressPoint(DateOnly Date, double Value);

/// <summary>A 1RM series: one exercise on one limb ("both" for a two-legged lift).</summary>
public sealed record OneRepMaxSeries(string Exercise, string Limb, bool Involved, IReadOnlyList<ProgressPoint> Points);

/// <summary>A limb symmetry index on one day: involved / uninvolved × 100 (for a time, uninvolved / involved × 100), with the two values it came from.</summary>
public sealed record LsiPoint(DateOnly Date, double Percent, double Involved, double Uninvolved);

/// <summary>An LSI series for one exercise; <paramref name="Unit"/> is "kg (1RM)", "cm" or "s" (the timed hop: lower is better).</summary>
public sealed record LsiSeries(string Exercise, string Unit, bool Strength, IReadOnlyList<LsiPoint> Points);

/// <summary>A return-to-run gate as a chart line.</summary>
public sealed record GateLine(string Name, string Description, double Percent, bool Strict, double PainBelow, string Source);

/// <summary>Whether a gate is met by the latest recorded strength LSI, hop LSI (where the gate asks for hop tests) and pain.</summary>
public sealed record GateStatus(string Name, bool Met, IReadOnlyList<string> Unmet);

/// <summary>The progress charts' data: 1RM over time, LSI over time, and the gates.</summary>
/// <param name="LatestStrengthLsi">the latest test day's lowest strength (load exercise) LSI, %.</param>
/// <param name="LatestHopLsi">the latest hop-test day's lowest hop LSI (distance or timed), %; return to sport asks for it too.</param>
public sealed record StrengthProgressDto(IReadOnlyList<OneRepMaxSeries> OneRepMax, IReadOnlyList<LsiSeries> Lsi, IReadOnlyList<GateLine> Gates,
    IReadOnlyList<GateStatus> LatestGates, double? LatestStrengthLsi, int? LatestPain, IReadOnlyList<string> Sources, double? LatestHopLsi = null);

/// <summary>
/// Strength and hop tests: record, list, and the progress they show. 1RM by Epley (charted) and
/// Brzycki (shown beside it) through the core's <see cref="Core.Metrics.Strength"/>; LSI through
/// its <see cref="Core.Metrics.Strength.LimbSymmetryIndex"/>; gates from <see cref="ReturnToRunGate"/>.
/// </summary>
public sealed class StrengthService(IDbContextFactory<OpenBfrDbContext> contexts, TimeProvider time, VersionConflicts conflicts)
{
    public const double MaxHopCm = 1500, MinHopCm = 10;

    /// <summary>
    /// The 6 m timed hop's accepted time, s: healthy adults' mean is 1.82–1.86 s and patients' LSI about
    /// 82% at 16 weeks after ACL reconstruction, i.e. about 2.3 s (Logerstedt et al. 2010, J Orthop Sports
    /// Phys Ther 40(4):A1, citing Reid et al. 2007). Under 1 s would be over 6 m/s hopping on one leg and
    /// over 10 s is walking pace: both are typing errors (a missed decimal), not results.
    /// </summary>
    public const double MinHopSeconds = 1.0, MaxHopSeconds = 10.0;
    public const int MaxNoteLength = 200;

    /// <summary>The "exercise" of a record with no test: pain and the clinician's stage decision only.</summary>
    public const string CheckIn = "check-in";

    public async Task<List<StrengthTestRecord>> ListAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.StrengthTests.AsNoTracking().Where(t => t.AthleteId == athleteId).ToListAsync(ct);
        return rows.OrderByDescending(t => t.TestedOn).ThenByDescending(t => t.RecordedAt).ThenBy(t => t.Limb).ToList();
    }

    /// <summary>Validates and stores a test, one row per limb.</summary>
    /// <exception cref="InputException">a field is missing or out of range; the message names it and what is allowed.</exception>
    public async Task<List<StrengthTestRecord>> RecordAsync(Viewer viewer, Athlete athlete, RecordStrengthTestRequest input, CancellationToken ct = default)
    {
        var rows = Validate(viewer, athlete.Id, input);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.StrengthTests.AddRange(rows);
        await db.SaveChangesAsync(ct);
        return rows;
    }

    /// <summary>The audit actions of a correction and a deletion (the record id is the detail; no values).</summary>
    public const string UpdatedAction = "strength.updated", DeletedAction = "strength.deleted";

    /// <summary>One stored row of the athlete's, or null.</summary>
    public async Task<StrengthTestRecord?> FindAsync(Guid athleteId, Guid testId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.StrengthTests.AsNoTracking().SingleOrDefaultAsync(t => t.Id == testId && t.AthleteId == athleteId, ct);
    }

    /// <summary>
    /// Why <paramref name="viewer"/> may not correct or delete <paramref name="row"/>, or null when they may.
    /// Whoever may record a test on the record may correct it, except that an athlete may change only
    /// a row they recorded themselves, that holds no clinician's stage decision and that no one else
    /// has corrected since: a clinician's entries and corrections stand until a clinician changes them.
    /// </summary>
    public static string? WhyNotChangeable(Viewer viewer, StrengthTestRecord row)
    {
        if (viewer.IsClinician)
        {
            return null;
        }
        if (row.RecordedByUserId != viewer.UserId)
        {
            return "this test was recorded by your clinician: only a clinician can correct or delete it";
        }
        if (row.StageClearance is not null)
        {
            return "this test holds a clinician's rehab stage decision: only a clinician can correct or delete it";
        }
        if (row.UpdatedByUserId is { } by && by != viewer.UserId)
        {
            return "this test was corrected by your clinician: only a clinician can change or delete it now";
        }
        return null;
    }

    /// <summary>What a conflict calls a row.</summary>
    private const string What = "strength test";

    /// <summary>
    /// Corrects one stored result with the same rules as recording it; the other side of the same
    /// test (recorded with it) takes the shared fields. One transaction: the rows, the earlier
    /// version of each changed row (<see cref="RecordRevision"/>) and the audit entry are written
    /// together or not at all.
    /// </summary>
    /// <param name="expectedVersion">the version the editor read (If-Match, the form's hidden field); null corrects whatever is current.</param>
    /// <returns>the corrected row, and the other side when it changed too.</returns>
    /// <exception cref="NotVisibleException">no such test on this athlete's record.</exception>
    /// <exception cref="ForbiddenException">the viewer may see the test but not change it (<see cref="WhyNotChangeable"/>).</exception>
    /// <exception cref="ConflictException">the row is no longer at <paramref name="expectedVersion"/> (changed or deleted since, also by a request racing this one); nothing is written.</exception>
    /// <exception cref="InputException">a field is missing or out of range; the message names it, the value and what is allowed.</exception>
    public async Task<List<StrengthTestRecord>> UpdateAsync(Viewer viewer, Guid athleteId, Guid testId, UpdateStrengthTestRequest input, int? expectedVersion = null,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.StrengthTests.SingleOrDefaultAsync(t => t.Id == testId && t.AthleteId == athleteId, ct)
            ?? throw await conflicts.GoneAsync(db, What, RevisedRecordKind.StrengthTest, athleteId, testId, expectedVersion, ct);
        if (WhyNotChangeable(viewer, row) is { } why)
        {
            throw new ForbiddenException(why);
        }
        // A stale version is refused before the fields are checked: they were typed over values that are no longer there.
        await conflicts.CheckAsync(What, row, expectedVersion, () => ToDto(row), ct);
        // The other side of the same test: recorded in the same request (same moment, same person, same day and exercise).
        var sibling = (await db.StrengthTests.Where(t => t.AthleteId == athleteId && t.Id != row.Id && t.RecordedAt == row.RecordedAt
                && t.RecordedByUserId == row.RecordedByUserId && t.Exercise == row.Exercise && t.TestedOn == row.TestedOn).ToListAsync(ct))
            .FirstOrDefault(t => t.Limb is not null && row.Limb is not null && t.Limb == row.Limb.Value.Opposite());
        var v = ValidateCorrection(viewer, athleteId, row, sibling, input);
        var now = time.GetUtcNow();
        RecordVersions.Keep(db, RevisedRecordKind.StrengthTest, row, RevisionChange.Corrected, viewer.UserId, now);
        row.Exercise = v.Exercise;
        row.TestedOn = v.TestedOn;
        row.Limb = v.Limb;
        row.Involved = v.Involved;
        row.LoadKg = v.LoadKg;
        row.Reps = v.Reps;
        row.MeasuredOneRepMaxKg = v.MeasuredOneRepMaxKg;
        row.HopDistanceCm = v.HopDistanceCm;
        row.HopTimeSeconds = v.HopTimeSeconds;
        row.PainScore = v.PainScore;
        row.StageClearance = v.StageClearance;
        row.Note = v.Note;
        row.UpdatedAt = now;
        row.UpdatedByUserId = viewer.UserId;
        var changed = new List<StrengthTestRecord> { row };
        if (sibling is not null && (sibling.Exercise, sibling.TestedOn, sibling.PainScore, sibling.StageClearance, sibling.Note) != (v.Exercise, v.TestedOn, v.PainScore, v.StageClearance, v.Note))
        {
            RecordVersions.Keep(db, RevisedRecordKind.StrengthTest, sibling, RevisionChange.Corrected, viewer.UserId, now);
            sibling.Exercise = v.Exercise;
            sibling.TestedOn = v.TestedOn;
            sibling.PainScore = v.PainScore;
            sibling.StageClearance = v.StageClearance;
            sibling.Note = v.Note;
            sibling.UpdatedAt = now;
            sibling.UpdatedByUserId = viewer.UserId;
            changed.Add(sibling);
        }
        db.AuditLog.Add(new AuditEntry { At = now, ActorUserId = viewer.UserId, Action = UpdatedAction, AthleteId = athleteId, Detail = string.Join(",", changed.Select(c => c.Id)) });
        await SaveAsync(db, athleteId, testId, row.Version - 1, ct);
        return changed;
    }

    /// <summary>
    /// Deletes one stored result (one limb's row); the other side of its test stays as a one-limb result.
    /// The deleted version stays in the history (<see cref="RecordRevision"/>), audited, in the same transaction.
    /// </summary>
    /// <param name="expectedVersion">the version the person deleting read; null deletes whatever is current.</param>
    /// <exception cref="NotVisibleException">no such test on this athlete's record.</exception>
    /// <exception cref="ForbiddenException">the viewer may see the test but not delete it.</exception>
    /// <exception cref="ConflictException">the row is no longer at <paramref name="expectedVersion"/>; nothing is deleted.</exception>
    public async Task DeleteAsync(Viewer viewer, Guid athleteId, Guid testId, int? expectedVersion = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.StrengthTests.SingleOrDefaultAsync(t => t.Id == testId && t.AthleteId == athleteId, ct)
            ?? throw await conflicts.GoneAsync(db, What, RevisedRecordKind.StrengthTest, athleteId, testId, expectedVersion, ct);
        if (WhyNotChangeable(viewer, row) is { } why)
        {
            throw new ForbiddenException(why);
        }
        await conflicts.CheckAsync(What, row, expectedVersion, () => ToDto(row), ct);
        var now = time.GetUtcNow();
        RecordVersions.Keep(db, RevisedRecordKind.StrengthTest, row, RevisionChange.Deleted, viewer.UserId, now);
        db.StrengthTests.Remove(row);
        db.AuditLog.Add(new AuditEntry { At = now, ActorUserId = viewer.UserId, Action = DeletedAction, AthleteId = athleteId, Detail = row.Id.ToString() });
        await SaveAsync(db, athleteId, testId, row.Version, ct);
    }

    /// <summary>
    /// Saves; when another request changed or deleted the row between our read and this write (the
    /// UPDATE or DELETE names the version read and finds none, or the history already holds that
    /// version), answers the conflict as if it had been seen before.
    /// </summary>
    private async Task SaveAsync(OpenBfrDbContext db, Guid athleteId, Guid testId, int readVersion, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            await using var fresh = await contexts.CreateDbContextAsync(ct);
            var now = await fresh.StrengthTests.AsNoTracking().SingleOrDefaultAsync(t => t.Id == testId && t.AthleteId == athleteId, ct);
            if (now is null && await RecordVersions.RemovalAsync(fresh, athleteId, RevisedRecordKind.StrengthTest, testId, ct) is { } removal)
            {
                throw await conflicts.RemovedAsync(What, readVersion, removal, ct);
            }
            if (now is not null && now.Version != readVersion)
            {
                throw await conflicts.ChangedAsync(What, readVersion, now.Version, now.UpdatedAt, now.UpdatedByUserId, ToDto(now), ct);
            }
            if (e is DbUpdateConcurrencyException)
            {
                // This row is as read: the other side of its test, which the correction also changes, moved on.
                throw new ConflictException(VersionConflicts.Title, $"the other side of this {What} changed while you corrected it. Nothing was saved: check both sides and apply your change again");
            }
            throw;
        }
    }

    /// <summary>
    /// The correction validated by create's own rules (so the ranges and messages are the same), with
    /// the field names of the flat correction body ("loadKg", not "results[0].loadKg"), then checked
    /// against the other side of the test.
    /// </summary>
    private StrengthTestRecord ValidateCorrection(Viewer viewer, Guid athleteId, StrengthTestRecord row, StrengthTestRecord? sibling, UpdateStrengthTestRequest input)
    {
        var checkIn = string.Equals(input.Exercise?.Trim(), CheckIn, StringComparison.OrdinalIgnoreCase);
        if (checkIn)
        {
            if (FirstFieldGiven(new StrengthResultInput(input.Limb, input.Involved, input.LoadKg, input.Reps, input.OneRepMaxKg, input.HopDistanceCm, input.HopTimeSeconds)) is { } given)
            {
                throw new InputException(given.Name, $"{given.Name} must be empty for a {CheckIn} (it records pain and the stage decision only), was {given.Value}");
            }
            if (sibling is not null)
            {
                throw new InputException("exercise", $"exercise cannot become {CheckIn}: this result is one side of a two-limb test (the other side is {sibling.Limb!.Value.ToKebab()}); delete it instead");
            }
        }
        var request = new RecordStrengthTestRequest(input.Exercise!, checkIn ? [] : [new StrengthResultInput(input.Limb, input.Involved, input.LoadKg, input.Reps, input.OneRepMaxKg, input.HopDistanceCm, input.HopTimeSeconds)],
            input.TestedOn ?? row.TestedOn, input.PainScore, input.StageClearance, input.Note);
        StrengthTestRecord v;
        try
        {
            v = Validate(viewer, athleteId, request).Single();
        }
        catch (InputException e) when (e.Field.StartsWith("results[0]", StringComparison.Ordinal))
        {
            var field = e.Field.Length > "results[0].".Length ? e.Field["results[0].".Length..] : "loadKg";
            throw new InputException(field, e.Message.Replace("results[0].", "", StringComparison.Ordinal).Replace("results[0]: ", "", StringComparison.Ordinal));
        }
        if (sibling is null)
        {
            return v;
        }
        var other = sibling.Limb!.Value;
        if (v.Limb != other.Opposite())
        {
            throw new InputException("limb", $"limb must be {other.Opposite().ToKebab()}: the other side of this test is {other.ToKebab()}; was '{input.Limb}'");
        }
        if (v.Involved && sibling.Involved)
        {
            throw new InputException("involved", $"involved: the other side of this test ({other.ToKebab()}) is already the involved limb; only one side can be");
        }
        if (!string.Equals(v.Exercise, sibling.Exercise, StringComparison.Ordinal))
        {
            // The other side keeps its values under the new exercise: they must fit it too.
            try
            {
                Validate(viewer, athleteId, request with
                {
                    Results = [new StrengthResultInput(other.ToKebab(), sibling.Involved, sibling.LoadKg, sibling.Reps, sibling.MeasuredOneRepMaxKg, sibling.HopDistanceCm, sibling.HopTimeSeconds)],
                });
            }
            catch (InputException e)
            {
                throw new InputException("exercise", $"exercise {v.Exercise} does not fit the other side of this test ({other.ToKebab()}): {e.Message.Replace("results[0].", "", StringComparison.Ordinal)}");
            }
        }
        return v;
    }

    /// <summary>A row on the wire, with its 1RM by both equations.</summary>
    public static StrengthTestDto ToDto(StrengthTestRecord r)
    {
        Core.Metrics.OneRepMax? estimate = r.LoadKg is { } kg && r.Reps is { } reps ? Core.Metrics.Strength.EstimateOneRepMax(kg, reps) : null;
        return new StrengthTestDto(r.Id, r.TestedOn, r.Exercise, r.Limb is { } l ? l.ToKebab() : null, r.Involved, r.LoadKg, r.Reps, r.MeasuredOneRepMaxKg,
            Round(estimate?.EpleyKg), Round(estimate?.BrzyckiKg), Round(OneRepMaxOf(r)), r.HopDistanceCm, r.PainScore, r.StageClearance, r.Note, r.UpdatedAt, r.Version,
            r.HopTimeSeconds);
    }

    /// <summary>The 1RM a row stands for: measured, else Epley's estimate (Epley 1985); null for a hop test.</summary>
    public static double? OneRepMaxOf(StrengthTestRecord r)
        => r.MeasuredOneRepMaxKg ?? (r.LoadKg is { } kg && r.Reps is { } reps ? Core.Metrics.Strength.EstimateOneRepMax(kg, reps).EpleyKg : null);

    /// <summary>The result a row stands for in its exercise's unit: 1RM kg, hop cm or hop s.</summary>
    private static double? ResultOf(StrengthTestRecord r) => r.HopDistanceCm ?? r.HopTimeSeconds ?? OneRepMaxOf(r);

    /// <summary>True when the exercise's result is a time (lower is better): its LSI is uninvolved / involved.</summary>
    private static bool IsTimed(string exercise) => StrengthExercises.Find(exercise)?.Measure == TestMeasure.HopTime;

    /// <summary>The progress charts: 1RM per exercise and limb over time, LSI per exercise over time, the return-to-run gates and where the athlete stands.</summary>
    public async Task<StrengthProgressDto> ProgressAsync(Guid athleteId, CancellationToken ct = default)
        => Progress(await ListAsync(athleteId, ct));

    /// <summary>As <see cref="ProgressAsync"/>, from rows already read.</summary>
    public static StrengthProgressDto Progress(IReadOnlyList<StrengthTestRecord> rows)
    {
        var oneRepMax = rows.Where(r => OneRepMaxOf(r) is not null)
            .GroupBy(r => (r.Exercise, r.Limb))
            .OrderBy(g => g.Key.Exercise, StringComparer.Ordinal).ThenBy(g => g.Key.Limb)
            .Select(g => new OneRepMaxSeries(g.Key.Exercise, g.Key.Limb is { } l ? l.ToKebab() : "both", g.Any(r => r.Involved),
                g.GroupBy(r => r.TestedOn).OrderBy(d => d.Key).Select(d => new ProgressPoint(d.Key, Round(d.Max(r => OneRepMaxOf(r)!.Value)))).ToList()))
            .ToList();
        var lsi = LsiByExercise(rows)
            .Select(kv => new LsiSeries(kv.Key, StrengthExercises.Find(kv.Key)?.Measure switch { TestMeasure.HopDistance => "cm", TestMeasure.HopTime => "s", _ => "kg (1RM)" },
                StrengthExercises.Find(kv.Key)?.Measure is not (TestMeasure.HopDistance or TestMeasure.HopTime),
                kv.Value.Select(p => new LsiPoint(p.Date, Round(p.Percent), Round(p.Involved), Round(p.Uninvolved))).ToList()))
            .ToList();
        var tests = RehabTests(rows);
        var latestLsi = tests.Where(t => t.StrengthLsiPercent is not null).MaxBy(t => t.Date)?.StrengthLsiPercent;
        var latestHop = tests.Where(t => t.HopLsiPercent is not null).MaxBy(t => t.Date)?.HopLsiPercent;
        var latestPain = tests.Where(t => t.PainScore is not null).MaxBy(t => t.Date)?.PainScore;
        var gates = ReturnToRunGate.Defaults.Select(g => new GateLine(g.Name, g.Description, g.MinLimbSymmetryPercent, g.Strict, g.PainBelow, g.Source)).ToList();
        var status = ReturnToRunGate.Defaults.Select(g => Status(g, latestLsi, latestHop, latestPain)).ToList();
        return new StrengthProgressDto(oneRepMax, lsi, gates, status, latestLsi is { } v ? Round(v) : null, latestPain,
            [Sources.Epley1985, Sources.Brzycki1993, Sources.Rambaud2018, Sources.Grindem2020, Sources.Noyes1991], latestHop is { } h ? Round(h) : null);
    }

    /// <summary>
    /// The recorded tests as the planner's rehab tests, one per day: the highest pain that day; the
    /// lowest strength LSI over the day's load exercises (the weakest link decides; the gates that
    /// start running ask for strength LSI, Rambaud et al. 2018); apart from it the lowest hop LSI over
    /// the day's hop tests, for distance and the 6 m timed hop (return to sport asks for strength and
    /// every hop test at ≥ 90%, Grindem et al. 2016; the timed hop's LSI is uninvolved / involved time,
    /// Noyes et al. 1991, so a slower involved leg lowers it); and a clinician's stage decision (a
    /// withholding wins).
    /// </summary>
    public static List<RehabTest> RehabTests(IReadOnlyList<StrengthTestRecord> rows)
    {
        var lsi = LsiByExercise(rows);
        Dictionary<DateOnly, double> LowestByDay(bool hop) => lsi
            .Where(kv => IsHop(kv.Key) == hop)
            .SelectMany(kv => kv.Value)
            .GroupBy(p => p.Date)
            .ToDictionary(g => g.Key, g => Math.Min(g.Min(p => p.Percent), 200));
        var strengthByDay = LowestByDay(hop: false);
        var hopByDay = LowestByDay(hop: true);
        return rows.GroupBy(r => r.TestedOn).OrderBy(g => g.Key).Select(g =>
        {
            var pain = g.Where(r => r.PainScore is not null).Select(r => r.PainScore).Max();
            var decisions = g.Where(r => r.StageClearance is not null).Select(r => r.StageClearance!.Value).ToList();
            bool? clearance = decisions.Count == 0 ? null : decisions.All(d => d);
            double? strength = strengthByDay.TryGetValue(g.Key, out var v) ? v : null;
            double? hop = hopByDay.TryGetValue(g.Key, out var h) ? h : null;
            return new RehabTest(g.Key, pain, strength, clearance, hop);
        }).Where(t => t.PainScore is not null || t.StrengthLsiPercent is not null || t.ClinicianClearance is not null || t.HopLsiPercent is not null).ToList();
    }

    /// <summary>True for the hop tests (for distance or timed), false for load exercises.</summary>
    private static bool IsHop(string exercise) => StrengthExercises.Find(exercise)?.Measure is TestMeasure.HopDistance or TestMeasure.HopTime;

    /// <summary>
    /// Per load exercise, the latest day's 1RM for the planner's kilograms: the lowest over the limbs
    /// tested that day, so an injured limb is never dosed from the healthy one's strength.
    /// </summary>
    public static List<Core.Planning.Profile.OneRepMax> OneRepMaxes(IReadOnlyList<StrengthTestRecord> rows)
        => rows.Where(r => OneRepMaxOf(r) is not null)
            .GroupBy(r => r.Exercise)
            .Select(g =>
            {
                var day = g.Max(r => r.TestedOn);
                return new Core.Planning.Profile.OneRepMax(g.Key, Math.Round(g.Where(r => r.TestedOn == day).Min(r => OneRepMaxOf(r)!.Value), 1));
            })
            .Where(m => m.Kilograms is >= 1 and <= 500) // the planner's accepted range
            .OrderBy(m => m.Exercise, StringComparer.Ordinal)
            .ToList();

    private sealed record RawLsi(DateOnly Date, double Percent, double Involved, double Uninvolved);

    /// <summary>
    /// LSI per exercise and day: the involved limb's best result against the opposite limb's best that
    /// day. Best is the highest load or distance, the lowest time; a time's LSI is uninvolved / involved.
    /// </summary>
    private static SortedDictionary<string, List<RawLsi>> LsiByExercise(IReadOnlyList<StrengthTestRecord> rows)
    {
        var result = new SortedDictionary<string, List<RawLsi>>(StringComparer.Ordinal);
        foreach (var day in rows.Where(r => r.Limb is not null && ResultOf(r) is not null).GroupBy(r => (r.Exercise, r.TestedOn)).OrderBy(g => g.Key.TestedOn))
        {
            var involved = day.Where(r => r.Involved).GroupBy(r => r.Limb!.Value).ToList();
            foreach (var limb in involved)
            {
                var other = day.Where(r => !r.Involved && r.Limb == limb.Key.Opposite()).ToList();
                if (other.Count == 0)
                {
                    continue;
                }
                var timed = IsTimed(day.Key.Exercise);
                var inv = timed ? limb.Min(r => ResultOf(r)!.Value) : limb.Max(r => ResultOf(r)!.Value);
                var uninv = timed ? other.Min(r => ResultOf(r)!.Value) : other.Max(r => ResultOf(r)!.Value);
                var percent = timed
                    ? Core.Metrics.Strength.TimedLimbSymmetryIndex(inv, uninv)  // Noyes et al. 1991: lower time is better
                    : Core.Metrics.Strength.LimbSymmetryIndex(inv, uninv);      // Rambaud 2018; Grindem 2016
                if (!result.TryGetValue(day.Key.Exercise, out var list))
                {
                    result[day.Key.Exercise] = list = [];
                }
                list.Add(new RawLsi(day.Key.TestedOn, percent, inv, uninv));
            }
        }
        return result;
    }

    private static GateStatus Status(ReturnToRunGate gate, double? lsi, double? hopLsi, int? pain)
    {
        var unmet = new List<string>();
        if (pain is null) unmet.Add($"pain < {gate.PainBelow:0.#}/10 (no pain score recorded)");
        if (lsi is null) unmet.Add($"strength LSI {(gate.Strict ? ">" : "≥")} {gate.MinLimbSymmetryPercent:0.#}% (no strength LSI recorded)");
        // The core's gate words the criteria; a criterion with nothing recorded is reported above instead.
        unmet.AddRange(gate.Unmet(pain ?? 0, Math.Min(lsi ?? 200, 200))
            .Where(u => (pain is not null || !u.StartsWith("pain", StringComparison.Ordinal)) && (lsi is not null || !u.StartsWith("limb", StringComparison.Ordinal))));
        // Hop tests count where the gate asks for them, once one is recorded (the battery is not done after every injury).
        var op = gate.Strict ? ">" : "≥";
        if (gate.HopTests && hopLsi is { } hop && !(gate.Strict ? hop > gate.MinLimbSymmetryPercent : hop >= gate.MinLimbSymmetryPercent))
        {
            unmet.Add($"hop limb symmetry {hop:0.#}% must be {op} {gate.MinLimbSymmetryPercent:0.#}%");
        }
        return new GateStatus(gate.Name, unmet.Count == 0, unmet);
    }

    /// <summary>The first load-test field given on a result (loadKg, reps, oneRepMaxKg), with its value; null when none is.</summary>
    private static (string Name, double Value)? LoadFieldGiven(StrengthResultInput r)
        => r.LoadKg is { } kg ? ("loadKg", kg) : r.Reps is { } reps ? ("reps", reps) : r.OneRepMaxKg is { } rm ? ("oneRepMaxKg", rm) : null;

    /// <summary>
    /// The first field given on a result (limb, involved, loadKg, reps, oneRepMaxKg, hopDistanceCm,
    /// hopTimeSeconds), with its value as a message shows it; null when none is (an empty result).
    /// </summary>
    public static (string Name, string Value)? FirstFieldGiven(StrengthResultInput r)
        => !string.IsNullOrWhiteSpace(r.Limb) ? ("limb", $"'{r.Limb}'")
            : r.Involved ? ("involved", "true")
            : LoadFieldGiven(r) is { } load ? (load.Name, Num(load.Value))
            : r.HopDistanceCm is { } cm ? ("hopDistanceCm", Num(cm))
            : r.HopTimeSeconds is { } s ? ("hopTimeSeconds", Num(s))
            : null;

    private List<StrengthTestRecord> Validate(Viewer viewer, Guid athleteId, RecordStrengthTestRequest input)
    {
        var checkIn = string.Equals(input.Exercise?.Trim(), CheckIn, StringComparison.OrdinalIgnoreCase);
        var exercise = checkIn ? null : StrengthExercises.Find(input.Exercise)
            ?? throw new InputException("exercise", $"exercise must be one of {StrengthExercises.Names}, or {CheckIn} (pain and the clinician's stage decision without a test); was '{input.Exercise}'");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var testedOn = input.TestedOn ?? today;
        if (testedOn > today)
        {
            throw new InputException("testedOn", $"testedOn must be today ({today:yyyy-MM-dd}) or earlier, was {testedOn:yyyy-MM-dd}");
        }
        if (testedOn < RecordDates.EarliestRecord(today))
        {
            throw new InputException("testedOn", $"testedOn must be within the last {RecordDates.MaxAgeYears} years ({RecordDates.EarliestRecord(today):yyyy-MM-dd} or later), was {testedOn:yyyy-MM-dd}");
        }
        if (input.PainScore is { } pain && pain is < 0 or > 10)
        {
            throw new InputException("painScore", $"painScore must be 0–10, was {pain}");
        }
        if (input.StageClearance is not null && !viewer.IsClinician)
        {
            throw new InputException("stageClearance", "stageClearance can only be given by a clinician; leave it empty");
        }
        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        if (note is { Length: > MaxNoteLength })
        {
            throw new InputException("note", $"note must be at most {MaxNoteLength} characters, was {note.Length}");
        }
        var results = input.Results ?? [];
        // A JSON null in the list binds as a null element; refuse it here rather than fail on it below.
        for (var i = 0; i < results.Count; i++)
        {
            if (results[i] is null)
            {
                throw new InputException($"results[{i}]", $"results[{i}] must be one limb's result (limb and its values), was null");
            }
        }
        var now = time.GetUtcNow();
        if (exercise is null)
        {
            // A check-in: early after an operation there is often nothing to test yet, but the pain
            // score and the clinician's stage decision are what the planner's gates wait for.
            for (var i = 0; i < results.Count; i++)
            {
                if (FirstFieldGiven(results[i]) is { } given)
                {
                    throw new InputException($"results[{i}].{given.Name}", $"results[{i}].{given.Name} must be empty for a {CheckIn} (it records pain and the stage decision only: no results), was {given.Value}");
                }
            }
            if (results.Count > 0)
            {
                throw new InputException("results", $"results must be empty for a {CheckIn} (it records pain and the stage decision only), was {results.Count}");
            }
            if (input.PainScore is null && input.StageClearance is null)
            {
                throw new InputException("painScore", $"a {CheckIn} needs painScore (0–10) or a clinician's stageClearance");
            }
            return
            [
                new StrengthTestRecord
                {
                    Id = Guid.NewGuid(), AthleteId = athleteId, TestedOn = testedOn, Exercise = CheckIn, PainScore = input.PainScore,
                    StageClearance = input.StageClearance, RecordedByUserId = viewer.UserId, RecordedAt = now, Note = note,
                },
            ];
        }
        if (input.Results is null)
        {
            // Left out, it was refused as "was 0", as if an empty list had been sent.
            throw new InputException("results", "results is required: 1–2 limbs' results (the two sides of a pair)");
        }
        if (results.Count is < 1 or > 2)
        {
            throw new InputException("results", $"results must hold 1–2 limbs (the two sides of a pair), was {results.Count}");
        }
        var rows = new List<StrengthTestRecord>();
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var field = $"results[{i}]";
            Limb? limb = null;
            if (!string.IsNullOrWhiteSpace(r.Limb) && !r.Limb.Trim().Equals("both", StringComparison.OrdinalIgnoreCase))
            {
                if (!LimbExtensions.TryParseLimb(r.Limb, out var parsed))
                {
                    throw new InputException($"{field}.limb", $"{field}.limb must be left-leg, right-leg, left-arm, right-arm or both; was '{r.Limb}'");
                }
                if (parsed.Kind() != exercise.Kind)
                {
                    throw new InputException($"{field}.limb", $"{field}.limb must be {(exercise.Kind == LimbKind.Leg ? "a leg" : "an arm")} for {exercise.Name}; was '{r.Limb}'");
                }
                limb = parsed;
            }
            if (limb is null && (exercise.Unilateral || results.Count == 2))
            {
                throw new InputException($"{field}.limb", $"{field}.limb must name one limb ({(exercise.Kind == LimbKind.Leg ? "left-leg or right-leg" : "left-arm or right-arm")}) for {(exercise.Unilateral ? exercise.Name : "a two-limb test")}");
            }
            if (limb is null && r.Involved)
            {
                throw new InputException($"{field}.involved", $"{field}.involved needs a limb: a two-legged lift has no involved side");
            }
            var row = new StrengthTestRecord
            {
                Id = Guid.NewGuid(), AthleteId = athleteId, TestedOn = testedOn, Exercise = exercise.Name, Limb = limb, Involved = r.Involved,
                PainScore = input.PainScore, StageClearance = input.StageClearance, RecordedByUserId = viewer.UserId, RecordedAt = now, Note = note,
            };
            if (exercise.Measure == TestMeasure.HopTime)
            {
                if (LoadFieldGiven(r) is { } given)
                {
                    throw new InputException($"{field}.{given.Name}", $"{field}.{given.Name} is only for load tests; {exercise.Name} is a hop test: give hopTimeSeconds ({Num(MinHopSeconds)}–{Num(MaxHopSeconds)} s), not loadKg, reps or oneRepMaxKg; was {Num(given.Value)}");
                }
                if (r.HopDistanceCm is { } cm)
                {
                    throw new InputException($"{field}.hopDistanceCm", $"{field}.hopDistanceCm: {exercise.Name} is timed: give hopTimeSeconds ({Num(MinHopSeconds)}–{Num(MaxHopSeconds)} s), not a distance; was {Num(cm)}");
                }
                row.HopTimeSeconds = Checked(r.HopTimeSeconds ?? throw new InputException($"{field}.hopTimeSeconds", $"{field}.hopTimeSeconds is required for {exercise.Name} ({Num(MinHopSeconds)}–{Num(MaxHopSeconds)} s)"),
                    MinHopSeconds, MaxHopSeconds, "s", $"{field}.hopTimeSeconds");
            }
            else if (exercise.Measure == TestMeasure.HopDistance)
            {
                if (LoadFieldGiven(r) is { } given)
                {
                    throw new InputException($"{field}.{given.Name}", $"{field}.{given.Name} is only for load tests; {exercise.Name} is a hop test: give hopDistanceCm ({MinHopCm:0}–{MaxHopCm:0} cm), not loadKg, reps or oneRepMaxKg; was {Num(given.Value)}");
                }
                if (r.HopTimeSeconds is { } s)
                {
                    throw new InputException($"{field}.hopTimeSeconds", $"{field}.hopTimeSeconds is only for the timed hop; {exercise.Name} is for distance: give hopDistanceCm ({MinHopCm:0}–{MaxHopCm:0} cm); was {Num(s)}");
                }
                row.HopDistanceCm = Checked(r.HopDistanceCm ?? throw new InputException($"{field}.hopDistanceCm", $"{field}.hopDistanceCm is required for {exercise.Name} ({MinHopCm:0}–{MaxHopCm:0} cm)"),
                    MinHopCm, MaxHopCm, "cm", $"{field}.hopDistanceCm");
            }
            else
            {
                if (r.HopDistanceCm is { } cm)
                {
                    throw new InputException($"{field}.hopDistanceCm", $"{field}.hopDistanceCm is only for hop tests; {exercise.Name} takes loadKg and reps or oneRepMaxKg; was {Num(cm)}");
                }
                if (r.HopTimeSeconds is { } seconds)
                {
                    throw new InputException($"{field}.hopTimeSeconds", $"{field}.hopTimeSeconds is only for the timed hop; {exercise.Name} takes loadKg and reps or oneRepMaxKg; was {Num(seconds)}");
                }
                if (r.LoadKg is null && r.Reps is null && r.OneRepMaxKg is null)
                {
                    throw new InputException($"{field}.loadKg", $"{field}: give loadKg with reps (1–{Core.Metrics.Strength.MaxRepsFor1Rm}), or a measured oneRepMaxKg");
                }
                if (r.LoadKg is not null || r.Reps is not null)
                {
                    var kg = r.LoadKg ?? throw new InputException($"{field}.loadKg", $"{field}.loadKg is required with reps (0–{Core.Metrics.Strength.MaxWeightKg:0} kg)");
                    var reps = r.Reps ?? throw new InputException($"{field}.reps", $"{field}.reps is required with loadKg (1–{Core.Metrics.Strength.MaxRepsFor1Rm} repetitions to failure)");
                    try
                    {
                        Core.Metrics.Strength.EstimateOneRepMax(kg, reps); // the core's ranges decide: 0 < kg ≤ 1000, 1–12 reps
                    }
                    catch (ArgumentOutOfRangeException e)
                    {
                        throw new InputException($"{field}.{(e.ParamName == "reps" ? "reps" : "loadKg")}", $"{field}.{InputException.From(e).Message.Replace("weightKg", "loadKg", StringComparison.Ordinal)}");
                    }
                    row.LoadKg = kg;
                    row.Reps = reps;
                }
                if (r.OneRepMaxKg is { } measured)
                {
                    row.MeasuredOneRepMaxKg = measured > 0 ? Checked(measured, 0, Core.Metrics.Strength.MaxWeightKg, "kg", $"{field}.oneRepMaxKg")
                        : throw new InputException($"{field}.oneRepMaxKg", $"{field}.oneRepMaxKg must be above 0 and at most {Core.Metrics.Strength.MaxWeightKg:0} kg, was {Num(measured)}");
                }
            }
            rows.Add(row);
        }
        if (rows.Count == 2)
        {
            if (rows[0].Limb != rows[1].Limb!.Value.Opposite())
            {
                throw new InputException("results[1].limb", $"results[1].limb must be the other side of results[0] ({rows[0].Limb!.Value.Opposite().ToKebab()}), was '{results[1].Limb}'");
            }
            if (rows[0].Involved && rows[1].Involved)
            {
                throw new InputException("results[1].involved", "results[1].involved: only one side can be the involved limb");
            }
        }
        return rows;
    }

    private static double Checked(double value, double min, double max, string unit, string field)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            throw new InputException(field, $"{field} must be {Num(min)}–{Num(max)} {unit}, was {Num(value)}");
        }
        return value;
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static double? Round(double? v) => v is { } x ? Round(x) : null;

    private static double Round(double v) => Math.Round(v, 1, MidpointRounding.AwayFromZero);

    /// <summary>A one-line summary of a row for the page.</summary>
    public static string Describe(StrengthTestDto t) => t.Exercise == CheckIn ? "no test (pain / stage decision)" : t.HopDistanceCm is { } cm
        ? string.Create(CultureInfo.InvariantCulture, $"{cm:0.#} cm")
        : t.HopTimeSeconds is { } sec
        ? string.Create(CultureInfo.InvariantCulture, $"{sec:0.00} s")
        : t.LoadKg is { } kg
            ? string.Create(CultureInfo.InvariantCulture, $"{kg:0.#} kg × {t.Reps}")
            : string.Create(CultureInfo.InvariantCulture, $"1RM {t.MeasuredOneRepMaxKg:0.#} kg (measured)");
}
