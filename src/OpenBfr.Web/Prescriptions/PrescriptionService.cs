using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Audit;
using OpenBfr.Data.Lop;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Data.Revisions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Revisions;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Prescriptions;

/// <summary>What to prescribe.</summary>
/// <param name="LopId">the LOP record to prescribe from (its limb and position are the prescription's).</param>
/// <param name="Modality">resistance, aerobic, walk-intervals, cycling, passive or sprint-recovery.</param>
/// <param name="Percent">target % LOP within the modality's range; null for its default.</param>
/// <param name="SessionsPerWeek">1–14, for compliance.</param>
/// <param name="Protocol">a protocol name from the catalog; null for the modality's default.</param>
public sealed record CreatePrescriptionRequest(Guid? LopId, string Modality, double? Percent = null, int SessionsPerWeek = 2, string? Protocol = null);

/// <summary>What a correction or withdrawal of a LOP record did to one prescription made from it.</summary>
/// <param name="OldTargetMmHg">the target before.</param>
/// <param name="NewTargetMmHg">the recomputed target; null when the prescription was retired instead.</param>
/// <param name="Retired">true when it was retired (its LOP withdrawn, or the corrected LOP no longer gives a prescription).</param>
/// <param name="Reason">why it was retired; null when it was recomputed.</param>
public sealed record PrescriptionChangeDto(Guid PrescriptionId, string Limb, string Modality, string Protocol, double TargetPercent, double OldTargetMmHg,
    double? NewTargetMmHg, bool Retired, string? Reason)
{
    /// <summary>One line for a page: "resistance (strength-lower) on the right-leg: 208 → 128 mmHg" or "… retired: why".</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Modality} ({Protocol}) on the {Limb}: {(Retired ? $"retired ({OldTargetMmHg:0} mmHg): {Reason}" : $"{OldTargetMmHg:0} → {NewTargetMmHg:0} mmHg at {TargetPercent:0.#}% LOP")}");
}

/// <summary>Prescribes through the core's <see cref="Prescriber"/>: the hard limits hold whatever is asked.</summary>
public sealed class PrescriptionService(IDbContextFactory<OpenBfrDbContext> contexts, ScreeningService screening, TimeProvider time)
{
    public async Task<List<PrescriptionRecord>> ListAsync(Guid athleteId, bool includeRetired = false, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var q = db.Prescriptions.AsNoTracking().Where(p => p.AthleteId == athleteId);
        if (!includeRetired)
        {
            q = q.Where(p => p.RetiredAt == null);
        }
        return await q.OrderByDescending(p => p.CreatedAt).ToListAsync(ct);
    }

    /// <summary>Prescribes, retiring the athlete's current prescription for the same limb and modality.</summary>
    /// <exception cref="InputException">unknown LOP or modality, percent out of range, LOP not usable, or screening not passed.</exception>
    public async Task<PrescriptionRecord> CreateAsync(Viewer viewer, Athlete athlete, CreatePrescriptionRequest input, CancellationToken ct = default)
    {
        if (input.SessionsPerWeek is < 1 or > 14)
        {
            throw new InputException("sessionsPerWeek", $"sessionsPerWeek must be 1–14, was {input.SessionsPerWeek}");
        }
        // Left out, it was read as the empty id and refused as an unknown record.
        var lopId = InputException.Required(input.LopId, "lopId", "the id of one of this athlete's LOP records");
        var modality = ParseModality(input.Modality);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var lopRecord = await db.LopRecords.AsNoTracking().SingleOrDefaultAsync(l => l.Id == lopId && l.AthleteId == athlete.Id, ct)
            ?? throw new InputException("lopId", "lopId must be one of this athlete's LOP records");
        if (WithdrawnProblem(lopRecord) is { } withdrawn)
        {
            throw new InputException("lopId", withdrawn);
        }
        var gate = await screening.GateAsync(athlete.Id, lopRecord.Limb, ct);
        if (gate.Refusal is { } refusal)
        {
            throw new InputException("screening", refusal);
        }
        Protocol? protocol = null;
        if (!string.IsNullOrWhiteSpace(input.Protocol))
        {
            protocol = ProtocolCatalog.All.FirstOrDefault(p => p.Name == input.Protocol)
                ?? throw new InputException("protocol", $"protocol must be one of {string.Join(", ", ProtocolCatalog.All.Select(p => p.Name))}; was '{input.Protocol}'");
        }
        var now = time.GetUtcNow();
        Prescription prescription;
        try
        {
            prescription = Prescriber.Prescribe(new PrescriptionRequest(
                lopRecord.ToDomain(), lopRecord.Limb, modality, lopRecord.Position, now, input.Percent, gate.NeedsClearance, protocol));
        }
        catch (LopNotUsableException e)
        {
            throw new InputException("lopId", e.Reason);
        }
        catch (SafetyLimitExceededException e)
        {
            throw new InputException("percent", e.Message);
        }
        catch (ArgumentException e) when (e.ParamName == "position")
        {
            // The position is the LOP record's: the protocol is not done in it, so the LOP is what to change (or the protocol).
            throw InputException.From(e, "lopId");
        }
        catch (ArgumentException e)
        {
            throw InputException.From(e, e.ParamName);
        }
        var record = new PrescriptionRecord
        {
            Id = Guid.NewGuid(),
            AthleteId = athlete.Id,
            LopRecordId = lopRecord.Id,
            Limb = prescription.Limb,
            Position = lopRecord.Position,
            Modality = prescription.Modality,
            ProtocolName = prescription.Protocol.Name,
            SessionsPerWeek = input.SessionsPerWeek,
            CreatedAt = now,
            CreatedByUserId = viewer.UserId,
        };
        Apply(record, prescription);
        await db.Prescriptions.Where(p => p.AthleteId == athlete.Id && p.Limb == record.Limb && p.Modality == record.Modality && p.RetiredAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(p => p.RetiredAt, now), ct);
        db.Prescriptions.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    /// <summary>The core prescription for a stored one, recomputed from its LOP now (so an outdated LOP is refused again).</summary>
    /// <exception cref="InputException">the LOP is no longer usable, or screening no longer allows it.</exception>
    public async Task<Prescription> RecomputeAsync(PrescriptionRecord record, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var lop = await db.LopRecords.AsNoTracking().SingleAsync(l => l.Id == record.LopRecordId, ct);
        // Withdrawal retires the prescriptions made from the record; this catches a session started
        // from one read just before, and anything else that recomputes a retired prescription.
        if (WithdrawnProblem(lop) is { } withdrawn)
        {
            throw new InputException("lopId", withdrawn);
        }
        var gate = await screening.GateAsync(record.AthleteId, record.Limb, ct);
        if (gate.Refusal is { } refusal)
        {
            throw new InputException("screening", refusal);
        }
        try
        {
            return Prescriber.Prescribe(RequestFor(record, lop.ToDomain(), gate.NeedsClearance, time.GetUtcNow()));
        }
        catch (LopNotUsableException e)
        {
            throw new InputException("lopId", e.Reason + "; record a new LOP and prescribe again");
        }
        catch (ArgumentException e) when (e.ParamName == "position")
        {
            // Stored before the core checked a protocol's positions: it sets no pressure now either.
            throw new InputException("lopId", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the {record.ProtocolName} prescription for the {record.Limb.ToKebab()} ({record.CreatedAt:yyyy-MM-dd} UTC) cannot start a session: {InputException.From(e).Message}; then prescribe again"));
        }
    }

    /// <summary>Audit actions of a LOP correction's effect on a prescription (ids only, as every audit entry; the values are in its history).</summary>
    public const string RecomputedAction = "prescription.recomputed", RetiredAction = "prescription.retired";

    /// <summary>
    /// After a correction of <paramref name="lop"/> (already applied to the tracked row): recomputes
    /// every current prescription made from it with the corrected value, keeping each one's earlier
    /// pressures as a version (<see cref="RecordRevision"/>); a prescription the corrected LOP no
    /// longer gives (the core refuses: too old, a hard limit) is retired with the reason instead.
    /// Everything is added to <paramref name="db"/>, saved by the caller with the correction.
    /// A session already running keeps the pressures it started with.
    /// </summary>
    public async Task<List<PrescriptionChangeDto>> FollowLopCorrectionAsync(OpenBfrDbContext db, LopRecord lop, IReadOnlyList<PrescriptionRecord> current, string userId,
        DateTimeOffset now, CancellationToken ct)
    {
        var changes = new List<PrescriptionChangeDto>();
        if (current.Count == 0)
        {
            return changes;
        }
        var gate = await screening.GateAsync(lop.AthleteId, lop.Limb, ct);
        var domain = lop.ToDomain();
        foreach (var p in current)
        {
            var old = p.TargetMmHg;
            Prescription recomputed;
            try
            {
                recomputed = Prescriber.Prescribe(RequestFor(p, domain, gate.NeedsClearance, now));
            }
            catch (Exception e) when (e is LopNotUsableException or SafetyLimitExceededException or ArgumentException)
            {
                var why = e is LopNotUsableException n ? n.Reason : e is ArgumentException a ? InputException.From(a).Message : e.Message;
                var reason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"its LOP was corrected to {lop.ValueMmHg:0} mmHg on {now:yyyy-MM-dd HH:mm} UTC and no longer gives this prescription: {why}. Measure LOP again and prescribe from it");
                Retire(db, p, reason, userId, now);
                changes.Add(Change(p, old, null, reason));
                continue;
            }
            RecordVersions.Keep(db, RevisedRecordKind.Prescription, p, RevisionChange.Corrected, userId, now);
            Apply(p, recomputed);
            p.UpdatedAt = now;
            p.UpdatedByUserId = userId;
            db.AuditLog.Add(new AuditEntry { At = now, ActorUserId = userId, Action = RecomputedAction, AthleteId = p.AthleteId, Detail = $"{p.Id} lop {lop.Id}" });
            changes.Add(Change(p, old, p.TargetMmHg, null));
        }
        return changes;
    }

    /// <summary>
    /// After <paramref name="lop"/> was withdrawn: retires every current prescription made from it,
    /// saying so (added to <paramref name="db"/>, saved by the caller with the withdrawal).
    /// </summary>
    public static List<PrescriptionChangeDto> FollowLopWithdrawal(OpenBfrDbContext db, LopRecord lop, IReadOnlyList<PrescriptionRecord> current, string userId, DateTimeOffset now)
    {
        var reason = WithdrawnProblem(lop)!;
        return current.Select(p =>
        {
            var old = p.TargetMmHg;
            Retire(db, p, reason, userId, now);
            return Change(p, old, null, reason);
        }).ToList();
    }

    /// <summary>Why a LOP record cannot set a pressure because it was withdrawn (naming it and what to do), or null while it stands.</summary>
    public static string? WithdrawnProblem(LopRecord lop) => lop.WithdrawnAt is not { } at ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"the LOP record {Describe(lop)} was withdrawn on {at:yyyy-MM-dd HH:mm} UTC{(lop.WithdrawalReason is { } why ? $" ({why})" : "")} and sets no pressure: record a new LOP for the {lop.Limb.ToKebab()} {lop.Position.ToString().ToLowerInvariant()} and prescribe from it");

    /// <summary>A LOP record in a few words: "right-leg standing 260 mmHg (doppler, measured 2026-11-20 09:00 UTC)".</summary>
    public static string Describe(LopRecord lop) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{lop.Limb.ToKebab()} {lop.Position.ToString().ToLowerInvariant()} {lop.ValueMmHg:0} mmHg ({lop.Method.ToString().ToLowerInvariant()}, measured {lop.MeasuredAt:yyyy-MM-dd HH:mm} UTC)");

    /// <summary>Why the given prescriptions are not current, from the first one retired with a reason (a withdrawn or corrected LOP); null when none was.</summary>
    public async Task<string?> RetiredReasonAsync(Guid athleteId, IEnumerable<Guid> prescriptionIds, CancellationToken ct = default)
    {
        var ids = prescriptionIds.ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var retired = await db.Prescriptions.AsNoTracking()
            .Where(p => ids.Contains(p.Id) && p.AthleteId == athleteId && p.RetiredAt != null && p.RetiredReason != null).ToListAsync(ct);
        return retired.OrderBy(p => p.RetiredAt).FirstOrDefault() is { } r
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the {Prescriber.Describe(r.Modality)} prescription for the {r.Limb.ToKebab()} was retired on {r.RetiredAt:yyyy-MM-dd HH:mm} UTC: {r.RetiredReason}")
            : null;
    }

    private static void Retire(OpenBfrDbContext db, PrescriptionRecord p, string reason, string userId, DateTimeOffset now)
    {
        p.RetiredAt = now;
        p.RetiredReason = reason;
        db.AuditLog.Add(new AuditEntry { At = now, ActorUserId = userId, Action = RetiredAction, AthleteId = p.AthleteId, Detail = $"{p.Id} lop {p.LopRecordId}" });
    }

    private static PrescriptionChangeDto Change(PrescriptionRecord p, double oldTarget, double? newTarget, string? reason)
        => new(p.Id, p.Limb.ToKebab(), Prescriber.Describe(p.Modality).Replace(' ', '-'), p.ProtocolName, p.TargetPercent, oldTarget, newTarget, reason is not null, reason);

    /// <summary>The core request that gives a stored prescription again from <paramref name="lop"/> (its limb, modality, position, percent and protocol).</summary>
    private static PrescriptionRequest RequestFor(PrescriptionRecord record, LimbOcclusionPressure lop, bool needsClearance, DateTimeOffset now)
        => new(lop, record.Limb, record.Modality, record.Position, now, record.TargetPercent, needsClearance, ProtocolCatalog.All.FirstOrDefault(p => p.Name == record.ProtocolName));

    /// <summary>Stores the core's numbers, notes and sources on a row.</summary>
    private static void Apply(PrescriptionRecord record, Prescription prescription)
    {
        record.TargetPercent = prescription.TargetPercent;
        record.ReferenceLopMmHg = prescription.ReferenceLop.MmHg;
        record.LowMmHg = prescription.Low.MmHg;
        record.HighMmHg = prescription.High.MmHg;
        record.TargetMmHg = prescription.Target.MmHg;
        record.Conservative = prescription.Conservative;
        record.NotesJson = JsonSerializer.Serialize(prescription.Notes);
        record.SourcesJson = JsonSerializer.Serialize(prescription.Sources);
    }

    /// <exception cref="InputException">not one of the modality names.</exception>
    public static Modality ParseModality(string? text)
    {
        var key = (text ?? "").Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (key.Length == 0 || int.TryParse(key, out _) || !Enum.TryParse<Modality>(key, ignoreCase: true, out var modality) || !Enum.IsDefined(modality))
        {
            throw new InputException("modality", $"modality must be one of resistance, aerobic, walk-intervals, cycling, passive, sprint-recovery; was '{text}'");
        }
        return modality;
    }
}
