using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Screening;
using OpenBfr.Data;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Athletes;
using OpenBfr.Web.Screening;

namespace OpenBfr.Web.Dashboard;

/// <summary>One athlete on the clinician dashboard.</summary>
/// <param name="Done">sessions completed in the last 4 weeks.</param>
/// <param name="Planned">sessions planned in the last 4 weeks that could already have happened (see <see cref="Compliance"/>): the plan's BFR sessions on past days, or each prescription's sessions per week for the time it was in force, rounded down.</param>
/// <param name="CompliancePercent">Done / Planned in whole percent; null while nothing is planned yet.</param>
/// <param name="Flags">open flags in words: needs clearance, LOP out of date, load spike, symptom reported…</param>
public sealed record DashboardRow(Guid AthleteId, string Name, int Done, int Planned, int? CompliancePercent, DateTimeOffset? LastSession, IReadOnlyList<string> Flags);

/// <summary>The clinician's overview of their athletes.</summary>
public sealed class DashboardService(IDbContextFactory<OpenBfrDbContext> contexts, AthleteDirectory directory, Data.Audit.AuditLog audit, Training.TrainingService training, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(28);

    public async Task<List<DashboardRow>> RowsAsync(Viewer clinician, CancellationToken ct = default)
    {
        var athletes = await directory.VisibleAsync(clinician, ct);
        var now = time.GetUtcNow();
        var since = now - Window;
        var ids = athletes.Select(a => a.Id).ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sessions = await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.AthleteId) && s.StartedAt >= since).ToListAsync(ct);
        var lastSessions = await db.Sessions.AsNoTracking().Where(s => ids.Contains(s.AthleteId))
            .GroupBy(s => s.AthleteId).Select(g => new { g.Key, Last = g.Max(s => s.StartedAt) }).ToListAsync(ct);
        // Every prescription in force during the window, retired ones too: compliance counts each for the days it was in force.
        var inWindow = await db.Prescriptions.AsNoTracking().Where(p => ids.Contains(p.AthleteId) && (p.RetiredAt == null || p.RetiredAt > since)).ToListAsync(ct);
        var prescriptions = inWindow.Where(p => p.RetiredAt == null).ToList();
        var lopIds = prescriptions.Select(p => p.LopRecordId).ToList();
        var lops = await db.LopRecords.AsNoTracking().Where(l => lopIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, ct);
        var sessionIds = sessions.Select(s => s.Id).ToList();
        var symptomSessions = await db.SessionEvents.AsNoTracking().Where(e => sessionIds.Contains(e.SessionId) && e.Kind == "symptom")
            .Select(e => e.SessionId).Distinct().ToListAsync(ct);
        var screenings = await db.Screenings.AsNoTracking().Where(s => ids.Contains(s.AthleteId)).ToListAsync(ct);
        // All the clearances in one query, applied per athlete below (not one CurrentAsync per athlete).
        var clearances = (await db.ScreeningClearances.AsNoTracking().Where(c => ids.Contains(c.AthleteId)).ToListAsync(ct)).ToLookup(c => c.ScreeningId);
        // Load and plans for every athlete at once too: the queries do not grow with the number of athletes.
        var loads = await training.LoadsAsync(athletes, ct);
        var plans = await training.LatestPlansAsync(ids, ct);
        var rows = new List<DashboardRow>();
        foreach (var a in athletes)
        {
            var flags = new List<string>();
            var screening = screenings.Where(s => s.AthleteId == a.Id).MaxBy(s => s.TakenAt);
            if (screening is null)
            {
                flags.Add("screening not done");
            }
            else if (ScreeningValidity.IsExpired(DateOnly.FromDateTime(screening.TakenAt.UtcDateTime), DateOnly.FromDateTime(now.UtcDateTime)))
            {
                flags.Add("screening expired");
            }
            else if (screening.Overall == ScreeningOutcomes.NeedsClearance
                && ScreeningService.Evaluate(screening, clearances[screening.Id].OrderBy(c => c.RecordedAt).ToList(), DateOnly.FromDateTime(now.UtcDateTime))
                    .Limbs.Values.Any(l => l.Outcome == ScreeningOutcomes.NeedsClearance))
            {
                flags.Add("needs clearance");
            }
            else if (screening.Overall == ScreeningOutcomes.NotEligible)
            {
                flags.Add("not eligible (a limb or all)");
            }
            var mine = prescriptions.Where(p => p.AthleteId == a.Id).ToList();
            if (mine.Any(p => lops.TryGetValue(p.LopRecordId, out var l) && now - l.MeasuredAt > LopValidityOptions.DefaultMaxAge))
            {
                flags.Add("LOP out of date");
            }
            var theirs = sessions.Where(s => s.AthleteId == a.Id).ToList();
            if (theirs.Any(s => symptomSessions.Contains(s.Id)))
            {
                flags.Add("symptom reported");
            }
            // A ratio is a flag, never an injury prediction (Williams et al. 2017; DESIGN.md section 3).
            if (loads[a.Id].Ewma?.Ratio is > 1.5 and var ratio)
            {
                flags.Add($"load spike (ACWR {ratio:0.00})");
            }
            var done = theirs.Count(s => s.EndReason == SessionEndReasons.Completed);
            // Planned: the plan's BFR sessions in the window when a plan covers it, else the prescriptions' weekly dose;
            // only sessions that could already have happened either way (Compliance).
            var fromPlan = plans.GetValueOrDefault(a.Id) is { } plan ? Compliance.PlannedFromPlan(plan.Plan, plan.GeneratedAt, since, now) : 0;
            var planned = fromPlan > 0 ? fromPlan
                : Compliance.PlannedFromPrescriptions(inWindow.Where(p => p.AthleteId == a.Id).Select(p => new PrescribedDose(p.SessionsPerWeek, p.CreatedAt, p.RetiredAt)), since, now);
            rows.Add(new DashboardRow(a.Id, a.DisplayName, done, planned, Compliance.Percent(done, planned), lastSessions.FirstOrDefault(x => x.Key == a.Id)?.Last, flags));
        }
        // The dashboard reads every listed athlete's records: one audit entry each, written together.
        await audit.WriteManyAsync(clinician.UserId, "dashboard.read", athletes.Where(a => a.UserId != clinician.UserId).Select(a => a.Id), ct);
        return rows;
    }
}
