using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Prescriptions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Prescriptions;

/// <summary>What to prescribe.</summary>
/// <param name="LopId">the LOP record to prescribe from (its limb and position are the prescription's).</param>
/// <param name="Modality">resistance, aerobic, walk-intervals, cycling, passive or sprint-recovery.</param>
/// <param name="Percent">target % LOP within the modality's range; null for its default.</param>
/// <param name="SessionsPerWeek">1–14, for compliance.</param>
/// <param name="Protocol">a protocol name from the catalog; null for the modality's default.</param>
public sealed record CreatePrescriptionRequest(Guid LopId, string Modality, double? Percent = null, int SessionsPerWeek = 2, string? Protocol = null);

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
        var modality = ParseModality(input.Modality);
        await using var db = await contexts.CreateDbContextAsync(ct);
        var lopRecord = await db.LopRecords.AsNoTracking().SingleOrDefaultAsync(l => l.Id == input.LopId && l.AthleteId == athlete.Id, ct)
            ?? throw new InputException("lopId", "lopId must be one of this athlete's LOP records");
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
            TargetPercent = prescription.TargetPercent,
            ReferenceLopMmHg = prescription.ReferenceLop.MmHg,
            LowMmHg = prescription.Low.MmHg,
            HighMmHg = prescription.High.MmHg,
            TargetMmHg = prescription.Target.MmHg,
            Conservative = prescription.Conservative,
            SessionsPerWeek = input.SessionsPerWeek,
            NotesJson = JsonSerializer.Serialize(prescription.Notes),
            SourcesJson = JsonSerializer.Serialize(prescription.Sources),
            CreatedAt = now,
            CreatedByUserId = viewer.UserId,
        };
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
        var gate = await screening.GateAsync(record.AthleteId, record.Limb, ct);
        if (gate.Refusal is { } refusal)
        {
            throw new InputException("screening", refusal);
        }
        try
        {
            var protocol = ProtocolCatalog.All.FirstOrDefault(p => p.Name == record.ProtocolName);
            return Prescriber.Prescribe(new PrescriptionRequest(lop.ToDomain(), record.Limb, record.Modality, record.Position, time.GetUtcNow(),
                record.TargetPercent, gate.NeedsClearance, protocol));
        }
        catch (LopNotUsableException e)
        {
            throw new InputException("lopId", e.Reason + "; record a new LOP and prescribe again");
        }
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
