using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;
using OpenBfr.Data;
using OpenBfr.Data.Audit;
using OpenBfr.Data.Revisions;
using OpenBfr.Data.Screening;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;

namespace OpenBfr.Web.Screening;

/// <summary>Outcome names, as DESIGN.md section 3 gives them.</summary>
public static class ScreeningOutcomes
{
    public const string Eligible = "Eligible";
    public const string NeedsClearance = "NeedsClearance";
    public const string NotEligible = "NotEligible";

    /// <summary>Higher is more restrictive.</summary>
    public static int Severity(string outcome) => outcome switch { NotEligible => 2, NeedsClearance => 1, _ => 0 };
}

/// <summary>One limb's outcome and why; <paramref name="Cleared"/> when a clinician cleared its NeedsClearance findings (then conservative pressure).</summary>
public sealed record LimbOutcome(string Outcome, IReadOnlyList<string> Reasons, bool Cleared = false);

/// <summary>A clinician's clearance of one item on one limb (or all the limbs it touches).</summary>
/// <param name="UpdatedAt">when the clearance was last corrected; null when never.</param>
/// <param name="Version">1 as recorded, one more per correction; the ETag is this number in quotes, for If-Match on PUT and DELETE.</param>
/// <param name="Expired">true when, today, 12 months have passed since <paramref name="ClearedOn"/> (PAR-Q+): it clears nothing and the finding is pending again;
/// null in a past version of a revision history, which is not judged against today.</param>
public sealed record ClearanceDto(Guid Id, string ItemId, string Finding, string? Limb, string Clinician, DateOnly ClearedOn, string? Note, DateTimeOffset? UpdatedAt = null,
    int Version = 1, bool? Expired = null)
{
    /// <summary>The first day the clearance no longer counts: <see cref="ClearedOn"/> plus 12 calendar months (<see cref="ScreeningValidity"/>).</summary>
    public DateOnly ExpiresOn => ScreeningValidity.ExpiresOn(ClearedOn);
}

/// <summary>A correction of a clearance's note or date. The item and the limb are what was cleared: to change them, revoke the clearance and record the right one.</summary>
/// <param name="Note">the clinician's conditions or remarks, 1–300 characters.</param>
/// <param name="ClearedOn">the day of the clearance; null keeps the stored day; not in the future.</param>
public sealed record UpdateClearanceRequest(string Note, DateOnly? ClearedOn = null);

/// <summary>A NeedsClearance finding still waiting for a clinician on these limbs.</summary>
public sealed record PendingClearanceDto(string ItemId, string Finding, IReadOnlyList<string> Limbs);

/// <summary>
/// The latest screening as it stands now: the per-limb outcome with the recorded clearances
/// applied by the core's <see cref="Screener"/>, the clearances, and what still needs one.
/// </summary>
/// <param name="Record">the stored screening.</param>
/// <param name="Limbs">per limb (kebab-case), after clearances.</param>
/// <param name="Clearances">the per-item clearances recorded for this screening.</param>
/// <param name="Pending">NeedsClearance findings not yet cleared, with their limbs.</param>
/// <param name="PerItem">false for a screening whose answers cannot be read item by item (recorded before per-item clearance): it keeps its stored outcome and its one-note clearance.</param>
/// <param name="Today">the day it was evaluated on (the service's clock): what has expired is judged against it.</param>
public sealed record CurrentScreening(ScreeningRecord Record, IReadOnlyDictionary<string, LimbOutcome> Limbs, IReadOnlyList<ClearanceDto> Clearances,
    IReadOnlyList<PendingClearanceDto> Pending, bool PerItem, DateOnly Today)
{
    /// <summary>The most restrictive outcome over all limbs, after clearances.</summary>
    public string Overall => Limbs.Values.Select(l => l.Outcome).DefaultIfEmpty(Record.Overall).MaxBy(ScreeningOutcomes.Severity)!;

    /// <summary>The day the screening was done (UTC).</summary>
    public DateOnly TakenOn => DateOnly.FromDateTime(Record.TakenAt.UtcDateTime);

    /// <summary>The first day the screening no longer counts: 12 calendar months after <see cref="TakenOn"/> (PAR-Q+).</summary>
    public DateOnly ExpiresOn => ScreeningValidity.ExpiresOn(TakenOn);

    /// <summary>The screening is 12 months old or more: it gates nothing until the athlete is screened again.</summary>
    public bool Expired => ScreeningValidity.IsExpired(TakenOn, Today);

    /// <summary>Why the screening no longer counts, naming both dates; null while it does.</summary>
    public string? ExpiredMessage => Expired ? ScreeningValidity.ScreeningExpired(TakenOn) : null;

    /// <summary>
    /// One line per expired clearance whose finding is pending again on <paramref name="limb"/> (every limb when null),
    /// naming the finding, the clinician and both dates.
    /// </summary>
    public IReadOnlyList<string> ExpiredClearances(Limb? limb = null)
    {
        var only = limb?.ToKebab();
        return Clearances.Where(c => c.Expired == true && Pending.Any(p => p.ItemId == c.ItemId
                && p.Limbs.Any(l => (only is null || l == only) && (c.Limb is null || c.Limb == l))))
            .Select(c => ScreeningValidity.ClearanceExpired(c.Finding, c.Clinician, c.ClearedOn)).Distinct().ToList();
    }
}

/// <summary>A clinician clears one NeedsClearance item.</summary>
/// <param name="ItemId">the questionnaire item ("diabetes").</param>
/// <param name="Limb">the limb ("left-leg"…); null or "all" for every limb the finding touches.</param>
/// <param name="Note">the clinician's conditions or remarks, 1–300 characters.</param>
/// <param name="ClearedOn">the day of the clearance; default today; not in the future.</param>
public sealed record ItemClearanceRequest(string ItemId, string? Limb, string Note, DateOnly? ClearedOn = null);

/// <summary>What the latest screening allows for one limb.</summary>
/// <param name="Refusal">why BFR may not be prescribed or run on the limb; null when it may.</param>
/// <param name="NeedsClearance">the limb needs medical clearance: prescribe conservatively.</param>
/// <param name="Cleared">a clinician recorded the clearance, so sessions may run.</param>
/// <param name="ExpiredClearance">the limb needs clearance again because a clearance of it expired (naming the finding, the clinician and the dates); null otherwise.</param>
public sealed record ScreeningGate(string? Refusal, bool NeedsClearance, bool Cleared, string? ExpiredClearance = null)
{
    /// <summary>Why a session may not start on the limb now, or null.</summary>
    public string? SessionRefusal => Refusal ?? (NeedsClearance && !Cleared
        ? ExpiredClearance ?? "screening needs clearance: a clinician must record clearance before the first session"
        : null);
}

/// <summary>Stores screenings and answers what they allow.</summary>
public sealed class ScreeningService(IDbContextFactory<OpenBfrDbContext> contexts, TimeProvider time, VersionConflicts conflicts)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ScreeningRecord?> LatestAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Screenings.AsNoTracking().Where(s => s.AthleteId == athleteId).OrderByDescending(s => s.TakenAt).FirstOrDefaultAsync(ct);
    }

    /// <summary>The per-limb outcomes stored with a screening.</summary>
    public static IReadOnlyDictionary<string, LimbOutcome> Limbs(ScreeningRecord record)
        => JsonSerializer.Deserialize<Dictionary<string, LimbOutcome>>(record.OutcomeJson, Json) ?? [];

    /// <summary>Stores a screening: the answers and the per-limb outcomes computed from them.</summary>
    public async Task<ScreeningRecord> SaveAsync(Viewer viewer, Guid athleteId, IReadOnlyDictionary<string, string> answers,
        IReadOnlyDictionary<Limb, LimbOutcome> outcomes, CancellationToken ct = default)
    {
        var overall = outcomes.Values.Select(o => o.Outcome).DefaultIfEmpty(ScreeningOutcomes.Eligible).MaxBy(ScreeningOutcomes.Severity)!;
        var record = new ScreeningRecord
        {
            Id = Guid.NewGuid(),
            AthleteId = athleteId,
            TakenAt = time.GetUtcNow(),
            AnswersJson = JsonSerializer.Serialize(answers, Json),
            OutcomeJson = JsonSerializer.Serialize(outcomes.ToDictionary(kv => kv.Key.ToKebab(), kv => kv.Value), Json),
            Overall = overall,
            RecordedByUserId = viewer.UserId,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Screenings.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>
    /// A clinician clears every finding still pending on the latest screening (all its limbs), one
    /// clearance row per item; for a screening recorded before per-item clearance, the one note.
    /// </summary>
    /// <exception cref="InputException">not a clinician, no screening, or nothing to clear.</exception>
    public async Task RecordClearanceAsync(Viewer viewer, string clinicianName, Guid athleteId, string note, CancellationToken ct = default)
    {
        RequireClinician(viewer);
        var trimmed = CheckNote(note);
        var current = await CurrentAsync(athleteId, ct) ?? throw new InputException("screening", "there is no screening to clear");
        RefuseExpired(current);
        if (!current.PerItem)
        {
            if (current.Record.Overall != ScreeningOutcomes.NeedsClearance || current.Record.ClearedAt is not null)
            {
                throw new InputException("screening", $"the latest screening is {current.Overall}; only NeedsClearance can be cleared");
            }
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.Screenings.Where(x => x.Id == current.Record.Id).ExecuteUpdateAsync(u => u
                .SetProperty(x => x.ClearedByUserId, viewer.UserId)
                .SetProperty(x => x.ClearedAt, time.GetUtcNow())
                .SetProperty(x => x.ClearanceNote, trimmed), ct);
            return;
        }
        if (current.Pending.Count == 0)
        {
            throw new InputException("screening", $"the latest screening is {current.Overall}; only NeedsClearance findings can be cleared, and none is pending");
        }
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            foreach (var item in current.Pending)
            {
                db.ScreeningClearances.Add(NewClearance(viewer, clinicianName, current.Record, item.ItemId, null, trimmed, Today));
            }
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>A clinician clears one NeedsClearance item of the latest screening, on one limb or on all the limbs it touches.</summary>
    /// <summary>A clearance's day: today or earlier, and as far back as any record (year 1 was accepted once).</summary>
    private void CheckClearedOn(DateOnly clearedOn)
    {
        if (clearedOn > Today)
        {
            throw new InputException("clearedOn", $"clearedOn must be today ({Today:yyyy-MM-dd}) or earlier, was {clearedOn:yyyy-MM-dd}");
        }
        if (clearedOn < RecordDates.EarliestRecord(Today))
        {
            throw new InputException("clearedOn", $"clearedOn must be within the last {RecordDates.MaxAgeYears} years ({RecordDates.EarliestRecord(Today):yyyy-MM-dd} or later), was {clearedOn:yyyy-MM-dd}");
        }
    }

    /// <exception cref="InputException">not a clinician, no screening, an item that is not a pending NeedsClearance finding, a limb it does not touch, or a bad note or date.</exception>
    public async Task<ClearanceDto> RecordItemClearanceAsync(Viewer viewer, string clinicianName, Guid athleteId, ItemClearanceRequest input, CancellationToken ct = default)
    {
        RequireClinician(viewer);
        var note = CheckNote(input.Note);
        var clearedOn = input.ClearedOn ?? Today;
        CheckClearedOn(clearedOn);
        var current = await CurrentAsync(athleteId, ct) ?? throw new InputException("screening", "there is no screening to clear");
        RefuseExpired(current);
        if (ScreeningValidity.IsExpired(clearedOn, Today))
        {
            throw new InputException("clearedOn", $"clearedOn {clearedOn:yyyy-MM-dd} expired on {ScreeningValidity.ExpiresOn(clearedOn):yyyy-MM-dd} ({ScreeningValidity.Rule}): a clearance must be from the last 12 months");
        }
        if (!current.PerItem)
        {
            throw new InputException("screening", "this screening was recorded before per-item clearance and cannot be cleared item by item: repeat the screening, or record one clearance for all its findings");
        }
        var itemId = (input.ItemId ?? "").Trim();
        var item = Questionnaire.Default.Items.FirstOrDefault(i => i.Id == itemId);
        if (item is null || item.Class != ScreeningClass.NeedsClearance)
        {
            var clearable = string.Join(", ", Questionnaire.Default.Items.Where(i => i.Class == ScreeningClass.NeedsClearance).Select(i => i.Id));
            throw new InputException("itemId", $"itemId must be a NeedsClearance screening item ({clearable}); was '{input.ItemId}'");
        }
        var pending = current.Pending.FirstOrDefault(p => p.ItemId == itemId)
            ?? throw new InputException("itemId", $"itemId '{itemId}' is not a pending finding of the latest screening{(current.Pending.Count == 0 ? " (none is pending)" : $"; pending: {string.Join(", ", current.Pending.Select(p => p.ItemId))}")}");
        Limb? limb = null;
        if (!string.IsNullOrWhiteSpace(input.Limb) && !input.Limb.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (!LimbExtensions.TryParseLimb(input.Limb, out var parsed) || !pending.Limbs.Contains(parsed.ToKebab()))
            {
                throw new InputException("limb", $"limb must be one of the limbs '{itemId}' still needs clearance on ({string.Join(", ", pending.Limbs)}) or all; was '{input.Limb}'");
            }
            limb = parsed;
        }
        var record = NewClearance(viewer, clinicianName, current.Record, itemId, limb, note, clearedOn);
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.ScreeningClearances.Add(record);
        await db.SaveChangesAsync(ct);
        return ToDto(record, Today);
    }

    /// <summary>An expired screening cannot be cleared: it must be done again first.</summary>
    private static void RefuseExpired(CurrentScreening current)
    {
        if (current.ExpiredMessage is { } expired)
        {
            throw new InputException("screening", expired);
        }
    }

    /// <summary>A stored per-item clearance on the wire, not judged against today (a past version in a history): <see cref="ClearanceDto.Expired"/> is null.</summary>
    public static ClearanceDto ToDto(ScreeningClearanceRecord c) => ToDto(c, null);

    /// <summary>A stored per-item clearance on the wire; <paramref name="today"/> judges whether it has expired (null: not judged).</summary>
    public static ClearanceDto ToDto(ScreeningClearanceRecord c, DateOnly? today)
        => new(c.Id, c.ItemId, Questionnaire.Default.Items.FirstOrDefault(i => i.Id == c.ItemId)?.Finding ?? c.ItemId, c.Limb?.ToKebab(), c.ClinicianName, c.ClearedOn, c.Note,
            c.UpdatedAt, c.Version, today is { } t ? ScreeningValidity.IsExpired(c.ClearedOn, t) : null);

    /// <summary>The audit actions of a clearance's correction and revocation (the clearance id is the detail).</summary>
    public const string ClearanceUpdatedAction = "clearance.updated", ClearanceRevokedAction = "clearance.revoked";

    /// <summary>One recorded per-item clearance of the athlete's (any of their screenings), or null.</summary>
    public async Task<ScreeningClearanceRecord?> FindClearanceAsync(Guid athleteId, Guid clearanceId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.ScreeningClearances.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clearanceId && c.AthleteId == athleteId, ct);
    }

    /// <summary>Why <paramref name="viewer"/> may not correct <paramref name="clearance"/>, or null: a clearance carries its clinician's name, so only they correct it; any clinician of the athlete may revoke it.</summary>
    public static string? WhyNotEditable(Viewer viewer, ScreeningClearanceRecord clearance)
        => !viewer.IsClinician ? "only a clinician can change medical clearance"
            : clearance.ClinicianUserId != viewer.UserId ? $"this clearance is signed by {clearance.ClinicianName}: only they can correct it; revoke it and record your own instead"
            : null;

    /// <summary>What a conflict calls a row.</summary>
    private const string What = "clearance";

    /// <summary>
    /// The clinician who recorded a clearance corrects its note or date (same rules as recording it).
    /// The earlier version stays in the history (<see cref="RecordRevision"/>), audited, in the same transaction.
    /// </summary>
    /// <param name="expectedVersion">the version the clinician read (If-Match, the form's hidden field); null corrects whatever is current.</param>
    /// <exception cref="InputException">not a clinician, or a bad note or date.</exception>
    /// <exception cref="NotVisibleException">no such clearance on this athlete's record (a one-note clearance from before version 3 has no id of its own).</exception>
    /// <exception cref="ForbiddenException">another clinician signed it.</exception>
    /// <exception cref="ConflictException">the clearance is no longer at <paramref name="expectedVersion"/>; nothing is written.</exception>
    public async Task<ClearanceDto> UpdateClearanceAsync(Viewer viewer, Guid athleteId, Guid clearanceId, UpdateClearanceRequest input, int? expectedVersion = null,
        CancellationToken ct = default)
    {
        RequireClinician(viewer);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.ScreeningClearances.SingleOrDefaultAsync(c => c.Id == clearanceId && c.AthleteId == athleteId, ct)
            ?? throw await conflicts.GoneAsync(db, What, RevisedRecordKind.Clearance, athleteId, clearanceId, expectedVersion, ct);
        if (WhyNotEditable(viewer, row) is { } why)
        {
            throw new ForbiddenException(why);
        }
        await conflicts.CheckAsync(What, row, expectedVersion, () => ToDto(row, Today), ct);
        var note = CheckNote(input.Note);
        var clearedOn = input.ClearedOn ?? row.ClearedOn;
        CheckClearedOn(clearedOn);
        var now = time.GetUtcNow();
        RecordVersions.Keep(db, RevisedRecordKind.Clearance, row, RevisionChange.Corrected, viewer.UserId, now);
        row.Note = note;
        row.ClearedOn = clearedOn;
        row.UpdatedAt = now;
        row.UpdatedByUserId = viewer.UserId;
        db.AuditLog.Add(new AuditEntry { At = now, ActorUserId = viewer.UserId, Action = ClearanceUpdatedAction, AthleteId = athleteId, Detail = row.Id.ToString() });
        await SaveAsync(db, athleteId, clearanceId, row.Version - 1, ct);
        return ToDto(row, Today);
    }

    /// <summary>
    /// A clinician of the athlete revokes a clearance: the finding needs clearance again on those limbs,
    /// so no new session starts there until a clinician clears it again. The row is deleted; the audit
    /// log keeps who revoked which clearance and when (same transaction).
    /// </summary>
    /// <param name="expectedVersion">the version the clinician read; null revokes whatever is current.</param>
    /// <exception cref="InputException">not a clinician.</exception>
    /// <exception cref="NotVisibleException">no such clearance on this athlete's record.</exception>
    /// <exception cref="ConflictException">the clearance is no longer at <paramref name="expectedVersion"/>; nothing is revoked.</exception>
    public async Task RevokeClearanceAsync(Viewer viewer, Guid athleteId, Guid clearanceId, int? expectedVersion = null, CancellationToken ct = default)
    {
        RequireClinician(viewer);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.ScreeningClearances.SingleOrDefaultAsync(c => c.Id == clearanceId && c.AthleteId == athleteId, ct)
            ?? throw await conflicts.GoneAsync(db, What, RevisedRecordKind.Clearance, athleteId, clearanceId, expectedVersion, ct);
        await conflicts.CheckAsync(What, row, expectedVersion, () => ToDto(row, Today), ct);
        var now = time.GetUtcNow();
        RecordVersions.Keep(db, RevisedRecordKind.Clearance, row, RevisionChange.Revoked, viewer.UserId, now);
        db.ScreeningClearances.Remove(row);
        db.AuditLog.Add(new AuditEntry { At = now, ActorUserId = viewer.UserId, Action = ClearanceRevokedAction, AthleteId = athleteId, Detail = row.Id.ToString() });
        await SaveAsync(db, athleteId, clearanceId, row.Version, ct);
    }

    /// <summary>Saves; a change made by a request racing this one (found by the version in the UPDATE or DELETE, or the history's unique version) is a conflict.</summary>
    private async Task SaveAsync(OpenBfrDbContext db, Guid athleteId, Guid clearanceId, int readVersion, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            await using var fresh = await contexts.CreateDbContextAsync(ct);
            var now = await fresh.ScreeningClearances.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clearanceId && c.AthleteId == athleteId, ct);
            if (now is null && await RecordVersions.RemovalAsync(fresh, athleteId, RevisedRecordKind.Clearance, clearanceId, ct) is { } removal)
            {
                throw await conflicts.RemovedAsync(What, readVersion, removal, ct);
            }
            if (now is not null && now.Version != readVersion)
            {
                throw await conflicts.ChangedAsync(What, readVersion, now.Version, now.UpdatedAt, now.UpdatedByUserId, ToDto(now, Today), ct);
            }
            throw;
        }
    }

    /// <summary>The latest screening with its clearances applied through the core's screener, or null when there is none.</summary>
    public async Task<CurrentScreening?> CurrentAsync(Guid athleteId, CancellationToken ct = default)
    {
        var latest = await LatestAsync(athleteId, ct);
        if (latest is null)
        {
            return null;
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.ScreeningClearances.AsNoTracking().Where(c => c.ScreeningId == latest.Id).ToListAsync(ct);
        return Evaluate(latest, rows.OrderBy(c => c.RecordedAt).ToList(), Today);
    }

    /// <summary>
    /// Applies per-item clearances to a stored screening through <see cref="Screener"/>. One core
    /// clearance cannot say "item A on the left leg, item B on the right", so each limb is evaluated
    /// with the clearance rows that cover it (limb-specific or all-limb rows), and its own result is kept.
    /// A clearance 12 months old or more on <paramref name="today"/> has expired (<see cref="ScreeningValidity"/>): it is
    /// listed (marked expired) but clears nothing, and its finding is pending again on its limbs.
    /// </summary>
    public static CurrentScreening Evaluate(ScreeningRecord record, IReadOnlyList<ScreeningClearanceRecord> clearances, DateOnly today)
    {
        var q = Questionnaire.Default;
        var answers = ScreeningAnswerText.TryRead(DeserializeAnswers(record.AnswersJson), q);
        var views = clearances.Select(c => ToDto(c, today)).ToList();
        if (answers is null)
        {
            // Recorded before per-item clearance (or by hand): the stored outcome, with the one-note clearance if any, while it lasts.
            var legacyValid = record.ClearedAt is { } at && !ScreeningValidity.IsExpired(DateOnly.FromDateTime(at.UtcDateTime), today);
            var stored = Limbs(record).ToDictionary(kv => kv.Key, kv => kv.Value.Outcome == ScreeningOutcomes.NeedsClearance && legacyValid
                ? new LimbOutcome(ScreeningOutcomes.Eligible, kv.Value.Reasons, Cleared: true)
                : kv.Value);
            return new CurrentScreening(record, stored, views, [], PerItem: false, today);
        }
        var uncleared = Screener.Evaluate(answers, q);
        var findings = uncleared.Reasons.ToDictionary(r => r.ItemId, r => r.Finding);
        if (record.ClearedAt is { } clearedAt)
        {
            // Cleared with one note before per-item clearance existed: that clearance covered every
            // finding on every limb, and it still does.
            var legacy = uncleared.Reasons.Where(r => r.Class == ScreeningClass.NeedsClearance).Select(r => new ScreeningClearanceRecord
            {
                Id = record.Id, AthleteId = record.AthleteId, ScreeningId = record.Id, ItemId = r.ItemId, Limb = null,
                ClinicianUserId = record.ClearedByUserId ?? "", ClinicianName = "clinician (one clearance for all findings)",
                ClearedOn = DateOnly.FromDateTime(clearedAt.UtcDateTime), RecordedAt = clearedAt, Note = record.ClearanceNote,
            }).ToList();
            clearances = [.. legacy, .. clearances];
            views = [.. legacy.Select(c => new ClearanceDto(c.Id, c.ItemId, findings[c.ItemId], null, c.ClinicianName, c.ClearedOn, c.Note,
                Expired: ScreeningValidity.IsExpired(c.ClearedOn, today))), .. views];
        }
        // Only the clearances still within their 12 months clear anything.
        clearances = clearances.Where(c => !ScreeningValidity.IsExpired(c.ClearedOn, today)).ToList();
        var clearable = q.Items.Where(i => i.Class == ScreeningClass.NeedsClearance).Select(i => i.Id).ToHashSet();
        var limbs = new Dictionary<string, LimbOutcome>();
        foreach (var limb in LimbExtensions.All)
        {
            var covering = clearances.Where(c => (c.Limb is null || c.Limb == limb) && clearable.Contains(c.ItemId)).ToList();
            var result = uncleared;
            if (covering.Count > 0)
            {
                var clearance = new ClinicianClearance(
                    string.Join(", ", covering.Select(c => c.ClinicianName).Distinct()),
                    covering.Max(c => c.ClearedOn),
                    covering.Select(c => c.ItemId).Distinct().ToList(),
                    [limb],
                    string.Join("; ", covering.Select(c => c.Note).Where(n => !string.IsNullOrWhiteSpace(n))));
                result = Screener.Evaluate(new ScreeningAnswers(answers.AgeYears, answers.SystolicMmHg, answers.DiastolicMmHg, answers.Answers, clearance), q, today);
            }
            var mine = result.For(limb);
            limbs[limb.ToKebab()] = new LimbOutcome(mine.Eligibility.ToString(), mine.ReasonIds.Select(id => findings.GetValueOrDefault(id, id)).ToList(), mine.ClearedByClinician);
        }
        var pending = uncleared.Reasons.Where(r => r.Class == ScreeningClass.NeedsClearance)
            .Select(r => new PendingClearanceDto(r.ItemId, r.Finding, r.Limbs
                .Where(l => !clearances.Any(c => c.ItemId == r.ItemId && (c.Limb is null || c.Limb == l)))
                .Select(l => l.ToKebab()).ToList()))
            .Where(p => p.Limbs.Count > 0)
            .ToList();
        return new CurrentScreening(record, limbs, views, pending, PerItem: true, today);
    }

    /// <summary>What the latest screening allows on <paramref name="limb"/>, clearances applied.</summary>
    public async Task<ScreeningGate> GateAsync(Guid athleteId, Limb limb, CancellationToken ct = default)
    {
        var current = await CurrentAsync(athleteId, ct);
        if (current is null)
        {
            return new ScreeningGate("complete the screening first: BFR is not prescribed or run without it", false, false);
        }
        if (current.ExpiredMessage is { } expired)
        {
            return new ScreeningGate(expired, false, false);
        }
        var outcome = current.Limbs.TryGetValue(limb.ToKebab(), out var l) ? l : new LimbOutcome(current.Overall, []);
        return outcome.Outcome switch
        {
            ScreeningOutcomes.NotEligible => new ScreeningGate(
                $"screening found a contraindication for the {limb.ToKebab()}: {string.Join("; ", outcome.Reasons.DefaultIfEmpty("not eligible"))}", false, false),
            ScreeningOutcomes.NeedsClearance => new ScreeningGate(null, true, false,
                current.ExpiredClearances(limb) is { Count: > 0 } lapsed ? string.Join("; ", lapsed) : null),
            // Cleared by a clinician: eligible at conservative (low-end) pressure (DESIGN.md section 3).
            _ when outcome.Cleared => new ScreeningGate(null, true, true),
            _ => new ScreeningGate(null, false, false),
        };
    }

    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private ScreeningClearanceRecord NewClearance(Viewer viewer, string clinicianName, ScreeningRecord screening, string itemId, Limb? limb, string note, DateOnly clearedOn) => new()
    {
        Id = Guid.NewGuid(), AthleteId = screening.AthleteId, ScreeningId = screening.Id, ItemId = itemId, Limb = limb,
        ClinicianUserId = viewer.UserId, ClinicianName = string.IsNullOrWhiteSpace(clinicianName) ? "clinician" : clinicianName.Trim(),
        ClearedOn = clearedOn, RecordedAt = time.GetUtcNow(), Note = note,
    };

    private static void RequireClinician(Viewer viewer)
    {
        if (!viewer.IsClinician)
        {
            throw new InputException("clearance", "only a clinician can record medical clearance");
        }
    }

    private static string CheckNote(string? note)
    {
        if (note is null)
        {
            // Left out, it was refused as "was 0 characters", as if an empty note had been sent.
            throw new InputException("note", "note is required: who cleared the athlete and on what grounds (1–300 characters)");
        }
        if (string.IsNullOrWhiteSpace(note) || note.Trim().Length > 300)
        {
            throw new InputException("note", $"note must say who cleared the athlete and on what grounds (1–300 characters), was {(note ?? "").Trim().Length} characters");
        }
        return note.Trim();
    }

    private static Dictionary<string, string> DeserializeAnswers(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return []; // an answers document in another shape: read as not item by item
        }
    }
}
