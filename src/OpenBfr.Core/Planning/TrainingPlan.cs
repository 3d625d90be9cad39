using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Planning;

/// <summary>Training phase of a week.</summary>
public enum PlanPhase
{
    Base,
    Build,
    Peak,
    Taper,
    Race,
    Recovery,
    Rehab,
}

/// <summary>What a planned session is.</summary>
public enum SessionKind
{
    EasyRun,
    KeyWorkout,
    LongRun,
    Race,
    WalkRun,

    /// <summary>Low-load resistance with BFR.</summary>
    StrengthBfr,

    /// <summary>Recovery BFR walk or ride (healthy runner: easy days, deloads, taper, post-race).</summary>
    RecoveryBfr,

    /// <summary>BFR cycling or walking to keep aerobic fitness while not running (rehab).</summary>
    AerobicBfr,

    /// <summary>Passive BFR, seated or lying (early post-op).</summary>
    PassiveBfr,

    /// <summary>Heavy strength (~80% 1RM) without BFR, for bone and tendon.</summary>
    HeavyStrength,
}

public static class SessionKindExtensions
{
    public static bool IsRun(this SessionKind kind) => kind is SessionKind.EasyRun or SessionKind.KeyWorkout or SessionKind.LongRun or SessionKind.Race or SessionKind.WalkRun;

    public static bool IsBfr(this SessionKind kind) => kind is SessionKind.StrengthBfr or SessionKind.RecoveryBfr or SessionKind.AerobicBfr or SessionKind.PassiveBfr;

    /// <summary>Key workouts, long runs and races: the days before them carry no strength work.</summary>
    public static bool IsHardRun(this SessionKind kind) => kind is SessionKind.KeyWorkout or SessionKind.LongRun or SessionKind.Race;

    /// <summary>Kebab-case name ("strength-bfr").</summary>
    public static string ToKebab(this SessionKind kind) => kind switch
    {
        SessionKind.EasyRun => "easy-run",
        SessionKind.KeyWorkout => "key-workout",
        SessionKind.LongRun => "long-run",
        SessionKind.Race => "race",
        SessionKind.WalkRun => "walk-run",
        SessionKind.StrengthBfr => "strength-bfr",
        SessionKind.RecoveryBfr => "recovery-bfr",
        SessionKind.AerobicBfr => "aerobic-bfr",
        SessionKind.PassiveBfr => "passive-bfr",
        _ => "heavy-strength",
    };
}

/// <summary>The pressure for one limb, from a LOP that is valid on the session's day; every value passed the hard limits.</summary>
public sealed record LimbPressure(Limb Limb, Pressure Low, Pressure High, Pressure Target, LopMethod LopMethod, DateOnly LopMeasured);

/// <summary>
/// A BFR session's prescription: the protocol, the % LOP band from Core's pressure ranges, and mmHg per
/// limb where a LOP recorded in the profile is valid on the day (through <see cref="Prescriptions.Prescriber"/>).
/// </summary>
public sealed record SessionPrescription(
    string Protocol,
    string Title,
    Modality Modality,
    BodyPosition Position,
    IReadOnlyList<string> Exercises,
    IReadOnlyList<Limb> Limbs,
    double LowPercent,
    double HighPercent,
    double TargetPercent,
    bool Conservative,
    IReadOnlyList<LimbPressure> Pressures,
    string Dose,
    TimeSpan Duration,
    IReadOnlyList<string> Notes,
    IReadOnlyList<string> Sources)
{
    /// <summary>"50–80% LOP, target 70%" or with mmHg when known.</summary>
    public string Summary
    {
        get
        {
            var band = $"{Guard.Format(LowPercent)}–{Guard.Format(HighPercent)}% LOP, target {Guard.Format(TargetPercent)}%";
            if (Pressures.Count == 0) return band + $"; measure {Position.ToString().ToLowerInvariant()} LOP for mmHg";
            return band + " (" + string.Join(", ", Pressures.Select(p => $"{p.Limb.ToKebab()} {p.Target.MmHg:0} mmHg")) + ")";
        }
    }
}

/// <summary>One planned session.</summary>
/// <param name="Date">its day.</param>
/// <param name="Order">order within the day (0 first): strength after the run.</param>
/// <param name="Kind">what it is.</param>
/// <param name="Title">short title.</param>
/// <param name="DistanceKm">planned distance for runs, when the profile gives a volume.</param>
/// <param name="Bfr">the BFR prescription; null for runs and heavy strength.</param>
/// <param name="Load">the load in words (heavy strength, runs).</param>
/// <param name="Reason">one line: why this session is here.</param>
public sealed record PlannedSession(
    DateOnly Date,
    int Order,
    SessionKind Kind,
    string Title,
    double? DistanceKm,
    SessionPrescription? Bfr,
    string? Load,
    string Reason);

/// <summary>One week of the plan.</summary>
/// <param name="Number">1-based week number.</param>
/// <param name="Start">first day.</param>
/// <param name="Phase">phase.</param>
/// <param name="Label">phase label ("Build", "Rehab 2/3: Return to running").</param>
/// <param name="Deload">a deload week.</param>
/// <param name="RunKm">planned running volume, km (0 when the profile gives none or running is paused).</param>
/// <param name="Sessions">sessions by date then order.</param>
/// <param name="Notes">why things are or are not here (days without strength, missing gates, spikes).</param>
/// <param name="RehabStage">the rehab stage id in a rehab plan ("return-to-run"), null otherwise or before the entry gate.</param>
public sealed record PlanWeek(
    int Number,
    DateOnly Start,
    PlanPhase Phase,
    string Label,
    bool Deload,
    double RunKm,
    IReadOnlyList<PlannedSession> Sessions,
    IReadOnlyList<string> Notes,
    string? RehabStage = null)
{
    public DateOnly End => Start.AddDays(6);
}

/// <summary>Imported load at the plan's start: the acute:chronic ratios on the last day of history.</summary>
/// <param name="AsOf">the day the ratios are for.</param>
/// <param name="EwmaRatio">EWMA ratio (Williams et al. 2017), null when history is too short.</param>
/// <param name="RollingRatio">rolling 7/28-day ratio, null when history is too short.</param>
public sealed record ImportedLoad(DateOnly AsOf, double? EwmaRatio, double? RollingRatio);

/// <summary>A plan: immutable data, cheap to regenerate; every session says why it is there.</summary>
public sealed record TrainingPlan(
    string? RunnerName,
    DateOnly Start,
    IReadOnlyList<PlanWeek> Weeks,
    IReadOnlyList<string> Warnings,
    string? Pathway,
    PlannerOptions Options)
{
    public DateOnly End => Start.AddDays(7 * Weeks.Count - 1);

    public IEnumerable<PlannedSession> Sessions => Weeks.SelectMany(w => w.Sessions);
}
