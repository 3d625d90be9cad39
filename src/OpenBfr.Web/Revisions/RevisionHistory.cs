using Microsoft.EntityFrameworkCore;
using OpenBfr.Data;
using OpenBfr.Data.Revisions;
using OpenBfr.Data.Screening;
using OpenBfr.Data.Strength;
using OpenBfr.Web.Lop;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Revisions;

/// <summary>One version of a record, as it stood, who wrote it and what ended it.</summary>
/// <typeparam name="T">the record on the wire (<see cref="StrengthTestDto"/>, <see cref="ClearanceDto"/>).</typeparam>
/// <param name="Version">1 as first recorded, one more per correction.</param>
/// <param name="Status">"current"; or what ended it: "corrected", "deleted" (a strength test), "revoked" (a clearance), "withdrawn" (a LOP record).</param>
/// <param name="WrittenAt">when this version was recorded (version 1) or written by a correction.</param>
/// <param name="WrittenBy">who wrote it (display name).</param>
/// <param name="EndedAt">when it was corrected, deleted or revoked; null for the current version.</param>
/// <param name="EndedBy">who did that; null for the current version.</param>
/// <param name="Record">the values of this version.</param>
public sealed record RecordVersionDto<T>(int Version, string Status, DateTimeOffset WrittenAt, string WrittenBy, string WrittenByUserId,
    DateTimeOffset? EndedAt, string? EndedBy, string? EndedByUserId, T Record);

/// <summary>A record's versions, newest first.</summary>
/// <param name="Kind">"strength-test", "clearance", "lop" or "prescription".</param>
/// <param name="Removed">true when the record was deleted, revoked or withdrawn (its newest version is the one removed).</param>
public sealed record RevisionHistoryDto<T>(Guid RecordId, string Kind, bool Removed, IReadOnlyList<RecordVersionDto<T>> Versions);

/// <summary>A deleted strength test or a revoked clearance: its last version, and who removed it when.</summary>
public sealed record RemovedRecordDto<T>(Guid RecordId, int Version, DateTimeOffset RemovedAt, string RemovedBy, string RemovedByUserId, T Record);

/// <summary>The strength tests deleted from an athlete's record and the clearances revoked, newest first.</summary>
public sealed record DeletedRecordsDto(IReadOnlyList<RemovedRecordDto<StrengthTestDto>> StrengthTests, IReadOnlyList<RemovedRecordDto<ClearanceDto>> Clearances);

/// <summary>
/// Reads the kept versions of strength tests and clearances (<see cref="RecordRevision"/>) beside
/// the current row. The callers check who may read the athlete's record (the same as for the
/// tests and clearances themselves) and audit the read.
/// </summary>
public sealed class RevisionHistory(IDbContextFactory<OpenBfrDbContext> contexts, UserNames names)
{
    /// <summary>The versions of one strength test of this athlete's, or null when there is no such test and never was.</summary>
    public async Task<RevisionHistoryDto<StrengthTestDto>?> StrengthTestAsync(Guid athleteId, Guid testId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.StrengthTests.AsNoTracking().SingleOrDefaultAsync(t => t.Id == testId && t.AthleteId == athleteId, ct);
        var kept = await KeptAsync(db, athleteId, RevisedRecordKind.StrengthTest, testId, ct);
        return await HistoryAsync("strength-test", testId, row, kept, r => (r.Version, r.UpdatedAt ?? r.RecordedAt, r.UpdatedByUserId ?? r.RecordedByUserId), StrengthService.ToDto, ct);
    }

    /// <summary>The versions of one per-item clearance of this athlete's, or null when there is no such clearance and never was.</summary>
    public async Task<RevisionHistoryDto<ClearanceDto>?> ClearanceAsync(Guid athleteId, Guid clearanceId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.ScreeningClearances.AsNoTracking().SingleOrDefaultAsync(c => c.Id == clearanceId && c.AthleteId == athleteId, ct);
        var kept = await KeptAsync(db, athleteId, RevisedRecordKind.Clearance, clearanceId, ct);
        return await HistoryAsync("clearance", clearanceId, row, kept, c => (c.Version, c.UpdatedAt ?? c.RecordedAt, c.UpdatedByUserId ?? c.ClinicianUserId), ScreeningService.ToDto, ct);
    }

    /// <summary>
    /// The versions of one LOP record of this athlete's, or null when there is no such record. A
    /// withdrawn record's row stays, but its last version is the one kept as withdrawn.
    /// </summary>
    public async Task<RevisionHistoryDto<LopDto>?> LopAsync(Guid athleteId, Guid lopId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.LopRecords.AsNoTracking().SingleOrDefaultAsync(l => l.Id == lopId && l.AthleteId == athleteId, ct);
        var kept = await KeptAsync(db, athleteId, RevisedRecordKind.Lop, lopId, ct);
        return await HistoryAsync("lop", lopId, row?.WithdrawnAt is null ? row : null, kept, l => (l.Version, l.UpdatedAt ?? l.RecordedAt, l.UpdatedByUserId ?? l.RecordedByUserId),
            l => LopDto.From(l, now: null), ct);
    }

    /// <summary>
    /// The versions of one prescription of this athlete's, or null when there is none: version 1 as
    /// prescribed and one more each time a correction of its LOP recomputed it. "current" is the
    /// stored row's version; whether the prescription itself is still in use is its own
    /// <see cref="PrescriptionDto.Current"/> (a retired one keeps its last version, with why).
    /// </summary>
    public async Task<RevisionHistoryDto<PrescriptionDto>?> PrescriptionAsync(Guid athleteId, Guid prescriptionId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.Prescriptions.AsNoTracking().SingleOrDefaultAsync(p => p.Id == prescriptionId && p.AthleteId == athleteId, ct);
        var kept = await KeptAsync(db, athleteId, RevisedRecordKind.Prescription, prescriptionId, ct);
        return await HistoryAsync("prescription", prescriptionId, row, kept, p => (p.Version, p.UpdatedAt ?? p.CreatedAt, p.UpdatedByUserId ?? p.CreatedByUserId),
            PrescriptionDto.From, ct);
    }

    /// <summary>The athlete's deleted strength tests and revoked clearances, newest removal first (withdrawn LOP records stay in the LOP list).</summary>
    public async Task<DeletedRecordsDto> DeletedAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var removed = await db.RecordRevisions.AsNoTracking().Where(r => r.AthleteId == athleteId && r.Change != RevisionChange.Corrected && RemovedKinds.Contains(r.RecordKind)).ToListAsync(ct);
        var by = await names.LookUpAsync(removed.Select(r => r.ChangedByUserId), ct);
        removed = removed.OrderByDescending(r => r.ChangedAt).ThenByDescending(r => r.Id).ToList();
        return new DeletedRecordsDto(
            removed.Where(r => r.RecordKind == RevisedRecordKind.StrengthTest)
                .Select(r => new RemovedRecordDto<StrengthTestDto>(r.RecordId, r.Version, r.ChangedAt, Name(by, r.ChangedByUserId), r.ChangedByUserId,
                    StrengthService.ToDto(RevisionSnapshot.Read<StrengthTestRecord>(r.SnapshotJson)))).ToList(),
            removed.Where(r => r.RecordKind == RevisedRecordKind.Clearance)
                .Select(r => new RemovedRecordDto<ClearanceDto>(r.RecordId, r.Version, r.ChangedAt, Name(by, r.ChangedByUserId), r.ChangedByUserId,
                    ScreeningService.ToDto(RevisionSnapshot.Read<ScreeningClearanceRecord>(r.SnapshotJson)))).ToList());
    }

    /// <summary>How many strength tests and clearances were removed from the athlete's record.</summary>
    public async Task<int> DeletedCountAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.RecordRevisions.CountAsync(r => r.AthleteId == athleteId && r.Change != RevisionChange.Corrected && RemovedKinds.Contains(r.RecordKind), ct);
    }

    /// <summary>The kinds whose removed records the deleted-entries page lists (a withdrawn LOP record keeps its row and is listed with the LOPs).</summary>
    private static readonly RevisedRecordKind[] RemovedKinds = [RevisedRecordKind.StrengthTest, RevisedRecordKind.Clearance];

    /// <summary>The ids of the athlete's current tests and clearances that have earlier versions kept.</summary>
    public async Task<HashSet<Guid>> WithHistoryAsync(Guid athleteId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return (await db.RecordRevisions.AsNoTracking().Where(r => r.AthleteId == athleteId && r.Change == RevisionChange.Corrected)
            .Select(r => r.RecordId).Distinct().ToListAsync(ct)).ToHashSet();
    }

    private static Task<List<RecordRevision>> KeptAsync(OpenBfrDbContext db, Guid athleteId, RevisedRecordKind kind, Guid recordId, CancellationToken ct)
        => db.RecordRevisions.AsNoTracking().Where(r => r.AthleteId == athleteId && r.RecordKind == kind && r.RecordId == recordId).ToListAsync(ct);

    /// <summary>The current row (if any) and the kept versions, newest first, each with who wrote it and what ended it.</summary>
    private async Task<RevisionHistoryDto<TDto>?> HistoryAsync<TRow, TDto>(string kind, Guid id, TRow? current, List<RecordRevision> kept,
        Func<TRow, (int Version, DateTimeOffset At, string By)> written, Func<TRow, TDto> dto, CancellationToken ct)
        where TRow : class
    {
        if (current is null && kept.Count == 0)
        {
            return null;
        }
        var versions = kept.Select(r => (Row: RevisionSnapshot.Read<TRow>(r.SnapshotJson), Ended: (RecordRevision?)r)).ToList();
        if (current is not null)
        {
            versions.Add((current, null));
        }
        var by = await names.LookUpAsync(versions.Select(v => written(v.Row).By).Concat(kept.Select(r => r.ChangedByUserId)), ct);
        var list = versions
            .Select(v =>
            {
                var w = written(v.Row);
                var ended = v.Ended;
                return new RecordVersionDto<TDto>(w.Version, ended is null ? "current" : Status(ended.Change), w.At, Name(by, w.By), w.By,
                    ended?.ChangedAt, ended is null ? null : Name(by, ended.ChangedByUserId), ended?.ChangedByUserId, dto(v.Row));
            })
            .OrderByDescending(v => v.Status == "current").ThenByDescending(v => v.Version)
            .ToList();
        return new RevisionHistoryDto<TDto>(id, kind, current is null, list);
    }

    private static string Name(IReadOnlyDictionary<string, string> names, string userId) => names.GetValueOrDefault(userId, UserNames.Unknown);

    private static string Status(RevisionChange change) => change switch
    {
        RevisionChange.Corrected => "corrected",
        RevisionChange.Deleted => "deleted",
        RevisionChange.Withdrawn => "withdrawn",
        _ => "revoked",
    };
}
