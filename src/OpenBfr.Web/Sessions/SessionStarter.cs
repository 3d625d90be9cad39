using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Data;
using OpenBfr.Data.Athletes;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;
using OpenBfr.Web.Prescriptions;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Sessions;

/// <summary>Start a simulated guided session from one or two current prescriptions of one protocol (e.g. both thighs).</summary>
public sealed record StartSessionRequest(IReadOnlyList<Guid> PrescriptionIds);

/// <summary>Checks everything a session needs (screening, clearance, a usable LOP), then starts it on simulated cuffs.</summary>
public sealed class SessionStarter(IDbContextFactory<OpenBfrDbContext> contexts, PrescriptionService prescriptions, ScreeningService screening,
    LiveSessions live, TimeProvider time)
{
    /// <exception cref="InputException">no or unknown prescriptions, screening or clearance missing, LOP no longer usable, or protocols that differ.</exception>
    public async Task<Guid> StartAsync(Viewer viewer, Athlete athlete, StartSessionRequest input, CancellationToken ct = default)
    {
        var ids = (input.PrescriptionIds ?? []).Distinct().ToList();
        if (ids.Count is < 1 or > 2)
        {
            throw new InputException("prescriptionIds", $"prescriptionIds must name 1–2 current prescriptions (one per cuff), was {ids.Count}");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var records = await db.Prescriptions.AsNoTracking().Where(p => ids.Contains(p.Id) && p.AthleteId == athlete.Id && p.RetiredAt == null).ToListAsync(ct);
        if (records.Count != ids.Count)
        {
            throw new InputException("prescriptionIds", "prescriptionIds must be this athlete's current prescriptions");
        }
        var computed = new List<Prescription>();
        foreach (var r in records)
        {
            var gate = await screening.GateAsync(athlete.Id, r.Limb, ct);
            if (gate.SessionRefusal is { } refusal)
            {
                throw new InputException("screening", refusal);
            }
            computed.Add(await prescriptions.RecomputeAsync(r, ct));
        }
        var sessionId = Guid.NewGuid();
        var buffer = new LiveBuffer();
        SimulatedRun run;
        try
        {
            run = new SimulatedRun(computed, time, buffer, seed: sessionId.GetHashCode() & 0x7fff);
        }
        catch (ArgumentException e)
        {
            throw new InputException("prescriptionIds", e.Message.Split(" (Parameter", 2)[0]);
        }
        var header = new SessionRecord
        {
            Id = sessionId,
            AthleteId = athlete.Id,
            PrescriptionId = records[0].Id,
            ProtocolName = computed[0].Protocol.Name,
            Simulated = true,
            StartedByUserId = viewer.UserId,
            StartedAt = time.GetUtcNow(),
        };
        await live.StartAsync(header, run, buffer, ct);
        return sessionId;
    }
}
