using OpenBfr.Core.Planning.Profile;

namespace OpenBfr.Core.Planning;

/// <summary>
/// The planner's rules as tunables (DESIGN.md section 4). Each default cites its source; each has an
/// allowed range, and <see cref="Validate"/> reports every value outside it at once.
/// </summary>
public sealed record PlannerOptions
{
    /// <summary>Strength BFR sessions per base or build week. Default 2, range 2–3 (seed "BFR Training for Runners &amp; Endurance Athletes": 2–3x/week).</summary>
    public int StrengthBfrPerWeek { get; init; } = 2;

    /// <summary>Strength BFR sessions per peak week: maintenance. Default 1, range 0–3 (OpenBFR: keep the stimulus, cut the fatigue before the taper).</summary>
    public int StrengthBfrPerPeakWeek { get; init; } = 1;

    /// <summary>Strength BFR sessions per taper week, before the stop. Default 1, range 0–2 (maintenance; Bosquet et al. 2007: keep intensity, cut volume).</summary>
    public int StrengthBfrPerTaperWeek { get; init; } = 1;

    /// <summary>Recovery/aerobic BFR sessions in an ordinary training week. Default 1, range 1–2 (seed: recovery 1–2x/week).</summary>
    public int RecoveryBfrPerWeek { get; init; } = 1;

    /// <summary>Recovery/aerobic BFR sessions in deload, taper, race and post-race weeks. Default 2, range 1–2 (seed: recovery BFR in deloads, taper and after races).</summary>
    public int RecoveryBfrPerLightWeek { get; init; } = 2;

    /// <summary>Heavy strength sessions without BFR per training week when uninjured. Default 1, range 1–2 (seed "Blood Flow Restriction for Runners": heavy ~80% 1RM work loads bone and tendon).</summary>
    public int HeavyStrengthPerWeek { get; init; } = 1;

    /// <summary>Every Nth week of base, build and peak is a deload. Default 4, range 3–6 (DESIGN.md section 4: deload every 4th week).</summary>
    public int DeloadEveryNthWeek { get; init; } = 4;

    /// <summary>Running volume in a deload week as a share of the usual. Default 0.7, range 0.5–0.9 (a 20–40% cut is the usual deload; OpenBFR takes 30%).</summary>
    public double DeloadVolumeFactor { get; init; } = 0.7;

    /// <summary>Strength BFR (and heavy strength) stops this many days before the race. Default 10, range 7–10 (DESIGN.md section 4: final 7–10 days).</summary>
    public int TaperStrengthStopDays { get; init; } = 10;

    /// <summary>An acute:chronic ratio above this is a spike. Default 1.5, range 1.2–2.0 (Gabbett 2016; DESIGN.md section 3).</summary>
    public double AcwrHighThreshold { get; init; } = 1.5;

    /// <summary>Weeks at the start of the plan in which a spike shifts BFR to recovery. Default 1, range 1–4.</summary>
    public int SpikeResponseWeeks { get; init; } = 1;

    /// <summary>Days between strength sessions when the week allows. Default 2, range 1–3 (48 h between sessions for the same muscles, ACSM).</summary>
    public int MinDaysBetweenStrength { get; init; } = 2;

    /// <summary>Every value outside its range, as (field, value, allowed).</summary>
    public IReadOnlyList<ProfileError> Validate()
    {
        var errors = new List<ProfileError>();
        void Check(double value, double min, double max, string field)
        {
            if (!double.IsFinite(value) || value < min || value > max) errors.Add(new(field, Guard.Format(value), $"{Guard.Format(min)}–{Guard.Format(max)}"));
        }
        Check(StrengthBfrPerWeek, 2, 3, nameof(StrengthBfrPerWeek));
        Check(StrengthBfrPerPeakWeek, 0, 3, nameof(StrengthBfrPerPeakWeek));
        Check(StrengthBfrPerTaperWeek, 0, 2, nameof(StrengthBfrPerTaperWeek));
        Check(RecoveryBfrPerWeek, 1, 2, nameof(RecoveryBfrPerWeek));
        Check(RecoveryBfrPerLightWeek, 1, 2, nameof(RecoveryBfrPerLightWeek));
        Check(HeavyStrengthPerWeek, 1, 2, nameof(HeavyStrengthPerWeek));
        Check(DeloadEveryNthWeek, 3, 6, nameof(DeloadEveryNthWeek));
        Check(DeloadVolumeFactor, 0.5, 0.9, nameof(DeloadVolumeFactor));
        Check(TaperStrengthStopDays, 7, 10, nameof(TaperStrengthStopDays));
        Check(AcwrHighThreshold, 1.2, 2.0, nameof(AcwrHighThreshold));
        Check(SpikeResponseWeeks, 1, 4, nameof(SpikeResponseWeeks));
        Check(MinDaysBetweenStrength, 1, 3, nameof(MinDaysBetweenStrength));
        return errors;
    }

    /// <summary>Taper weeks before race week: 2 for half marathon and longer, 1 for 5 and 10 km (Bosquet et al. 2007: 8–14 days in all, with race week).</summary>
    public static int TaperWeeks(RaceDistance distance) => distance is RaceDistance.FiveK or RaceDistance.TenK ? 1 : 2;

    /// <summary>Recovery weeks after race week: 2 after a marathon or ultra, else 1 (OpenBFR convention).</summary>
    public static int RecoveryWeeks(RaceDistance distance) => distance is RaceDistance.Marathon or RaceDistance.Ultra ? 2 : 1;

    /// <summary>Peak weeks before the taper.</summary>
    public const int PeakWeeks = 2;

    /// <summary>Longest build block; the rest of the run-up is base.</summary>
    public const int MaxBuildWeeks = 8;
}
