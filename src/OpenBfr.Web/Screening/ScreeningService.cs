using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBfr.Core.Limbs;
using OpenBfr.Data;
using OpenBfr.Data.Screening;
using OpenBfr.Web.Accounts;
using OpenBfr.Web.Hosting;

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

/// <summary>One limb's outcome and why.</summary>
public sealed record LimbOutcome(string Outcome, IReadOnlyList<string> Reasons);

/// <summary>What the latest screening allows for one limb.</summary>
/// <param name="Refusal">why BFR may not be prescribed or run on the limb; null when it may.</param>
/// <param name="NeedsClearance">the limb needs medical clearance: prescribe conservatively.</param>
/// <param name="Cleared">a clinician recorded the clearance, so sessions may run.</param>
public sealed record ScreeningGate(string? Refusal, bool NeedsClearance, bool Cleared)
{
    /// <summary>Why a session may not start on the limb now, or null.</summary>
    public string? SessionRefusal => Refusal ?? (NeedsClearance && !Cleared ? "screening needs clearance: a clinician must record clearance before the first session" : null);
}

/// <summary>Stores screenings and answers what they allow.</summary>
public sealed class ScreeningService(IDbContextFactory<OpenBfrDbContext> contexts, TimeProvider time)
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

    /// <summary>A clinician records medical clearance on the latest screening.</summary>
    /// <exception cref="InputException">not a clinician, no screening, or nothing to clear.</exception>
    public async Task RecordClearanceAsync(Viewer viewer, Guid athleteId, string note, CancellationToken ct = default)
    {
        if (!viewer.IsClinician)
        {
            throw new InputException("clearance", "only a clinician can record medical clearance");
        }
        if (string.IsNullOrWhiteSpace(note) || note.Length > 300)
        {
            throw new InputException("note", "note must say who cleared the athlete and when (1–300 characters)");
        }
        await using var db = await contexts.CreateDbContextAsync(ct);
        var latest = await db.Screenings.Where(s => s.AthleteId == athleteId).OrderByDescending(s => s.TakenAt).FirstOrDefaultAsync(ct)
            ?? throw new InputException("screening", "there is no screening to clear");
        if (latest.Overall != ScreeningOutcomes.NeedsClearance)
        {
            throw new InputException("screening", $"the latest screening is {latest.Overall}; only NeedsClearance can be cleared");
        }
        latest.ClearedByUserId = viewer.UserId;
        latest.ClearedAt = time.GetUtcNow();
        latest.ClearanceNote = note.Trim();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>What the latest screening allows on <paramref name="limb"/>.</summary>
    public async Task<ScreeningGate> GateAsync(Guid athleteId, Limb limb, CancellationToken ct = default)
    {
        var latest = await LatestAsync(athleteId, ct);
        if (latest is null)
        {
            return new ScreeningGate("complete the screening first: BFR is not prescribed or run without it", false, false);
        }
        var limbs = Limbs(latest);
        var outcome = limbs.TryGetValue(limb.ToKebab(), out var l) ? l : new LimbOutcome(latest.Overall, []);
        return outcome.Outcome switch
        {
            ScreeningOutcomes.NotEligible => new ScreeningGate(
                $"screening found a contraindication for the {limb.ToKebab()}: {string.Join("; ", outcome.Reasons.DefaultIfEmpty("not eligible"))}", false, false),
            ScreeningOutcomes.NeedsClearance => new ScreeningGate(null, true, latest.ClearedAt is not null),
            _ => new ScreeningGate(null, false, false),
        };
    }
}
