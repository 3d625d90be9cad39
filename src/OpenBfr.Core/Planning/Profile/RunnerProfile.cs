using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;

namespace OpenBfr.Core.Planning.Profile;

/// <summary>Goal race distances; the distance sets the taper length and the post-race recovery.</summary>
public enum RaceDistance
{
    FiveK,
    TenK,
    HalfMarathon,
    Marathon,
    Ultra,
}

/// <summary>The injuries and operations with a rehab pathway (see <c>Rehab/pathways.json</c>).</summary>
public enum InjuryKind
{
    RunnersKnee,
    ShinSplints,
    ItBandSyndrome,
    AchillesTendinopathy,
    PlantarFasciitis,
    MeniscusRepair,
    AclReconstruction,
    AchillesRupture,
    StressFracture,
}

/// <summary>Which side an injury is on.</summary>
public enum Side
{
    Left,
    Right,
    Both,
}

/// <summary>The goal race.</summary>
/// <param name="Distance">race distance.</param>
/// <param name="Date">race day.</param>
/// <param name="Name">optional name shown in the plan.</param>
public sealed record GoalRace(RaceDistance Distance, DateOnly Date, string? Name = null)
{
    /// <summary>Race distance in km.</summary>
    public double DistanceKm => Distance switch
    {
        RaceDistance.FiveK => 5,
        RaceDistance.TenK => 10,
        RaceDistance.HalfMarathon => 21.0975,
        RaceDistance.Marathon => 42.195,
        _ => 50,
    };
}

/// <summary>An injury or an operation, its date and side.</summary>
/// <param name="Kind">the pathway it maps to.</param>
/// <param name="Date">date of injury onset or of the operation.</param>
/// <param name="Side">affected side.</param>
public sealed record Injury(InjuryKind Kind, DateOnly Date, Side Side)
{
    /// <summary>The legs the rehab BFR is done on.</summary>
    public IReadOnlyList<Limb> InvolvedLegs => Side switch
    {
        Side.Left => [Limb.LeftLeg],
        Side.Right => [Limb.RightLeg],
        _ => [Limb.LeftLeg, Limb.RightLeg],
    };
}

/// <summary>A recorded rehab test: pain, strength and hop limb symmetry indices, clinician clearance. Any may be absent.</summary>
/// <param name="Date">the day of the test.</param>
/// <param name="PainScore">pain during or after loading, 0–10.</param>
/// <param name="StrengthLsiPercent">strength limb symmetry index, involved / uninvolved × 100, 0–200 %.</param>
/// <param name="ClinicianClearance">true when a clinician recorded clearance for the next step on this date, false when they withheld it, null when not assessed.</param>
/// <param name="HopLsiPercent">the lowest hop-test limb symmetry index that day (distance: involved / uninvolved; timed: uninvolved / involved time), 0–200 %.</param>
public sealed record RehabTest(DateOnly Date, int? PainScore, double? StrengthLsiPercent, bool? ClinicianClearance, double? HopLsiPercent = null);

/// <summary>A one-repetition maximum (measured or estimated), used to give kilograms for strength sessions.</summary>
/// <param name="Exercise">exercise name, e.g. "squat".</param>
/// <param name="Kilograms">1RM in kg, 1–500.</param>
public sealed record OneRepMax(string Exercise, double Kilograms);

/// <summary>
/// A runner as the planner sees them. Build with <see cref="RunnerProfileParser"/> from a document
/// or directly; <see cref="Validate"/> lists every bad field, and the planner refuses an invalid profile.
/// </summary>
public sealed record RunnerProfile
{
    public const int MinAge = 14;
    public const int MaxAge = 99;
    public const double MaxWeeklyKm = 300;
    public const int MaxKeyWorkoutDays = 3;

    /// <summary>Name shown in the plan; optional.</summary>
    public string? Name { get; init; }

    /// <value>14–99 years.</value>
    public required int AgeYears { get; init; }

    public required Sex Sex { get; init; }

    /// <summary>Current weekly running volume.</summary>
    /// <value>0–300 km.</value>
    public required double WeeklyKm { get; init; }

    public GoalRace? Goal { get; init; }

    /// <summary>Days the runner can train; 1–7 distinct days.</summary>
    public required IReadOnlySet<DayOfWeek> AvailableDays { get; init; }

    /// <summary>Days with a key (quality) workout: 0–3 of the available days.</summary>
    public IReadOnlySet<DayOfWeek> KeyWorkoutDays { get; init; } = new HashSet<DayOfWeek>();

    /// <summary>The long-run day: one of the available days, not a key-workout day.</summary>
    public DayOfWeek? LongRunDay { get; init; }

    /// <summary>Current injury or operation; null when healthy.</summary>
    public Injury? Injury { get; init; }

    /// <summary>Cuffs the runner owns.</summary>
    public IReadOnlyList<CuffDescription> Cuffs { get; init; } = [];

    /// <summary>Recorded limb occlusion pressures (per limb and position).</summary>
    public IReadOnlyList<LimbOcclusionPressure> Lops { get; init; } = [];

    /// <summary>Recorded rehab tests (pain, LSI, clearance), any order.</summary>
    public IReadOnlyList<RehabTest> Tests { get; init; } = [];

    public IReadOnlyList<OneRepMax> OneRepMaxes { get; init; } = [];

    /// <summary>Maximum heart rate, if known (used to estimate RPE from heart rate).</summary>
    /// <value>100–230 bpm.</value>
    public int? MaxHeartRate { get; init; }

    public bool IsInjured => Injury is not null;

    /// <summary>The days that are neither key-workout nor long-run days but can be run on.</summary>
    public IEnumerable<DayOfWeek> EasyDays => AvailableDays.Where(d => !KeyWorkoutDays.Contains(d) && d != LongRunDay);

    /// <summary>The runner's maximum heart rate, or Tanaka's age estimate 208 − 0.7 × age when not recorded.</summary>
    public int MaxHeartRateOrEstimate => MaxHeartRate ?? (int)Math.Round(208 - 0.7 * AgeYears); // Tanaka et al. 2001, J Am Coll Cardiol 37:153

    /// <summary>Every problem with this profile; empty when valid.</summary>
    public IReadOnlyList<ProfileError> Validate()
    {
        var errors = new List<ProfileError>();
        if (AgeYears is < MinAge or > MaxAge) errors.Add(new("age", AgeYears.ToString(), $"{MinAge}–{MaxAge} years"));
        if (!Enum.IsDefined(Sex)) errors.Add(new("sex", Sex.ToString(), "male or female"));
        if (!double.IsFinite(WeeklyKm) || WeeklyKm < 0 || WeeklyKm > MaxWeeklyKm) errors.Add(new("weeklyKm", Guard.Format(WeeklyKm), $"0–{MaxWeeklyKm:0} km"));
        if (AvailableDays is null || AvailableDays.Count == 0) errors.Add(new("availableDays", "(none)", "1–7 distinct weekdays"));
        var available = AvailableDays ?? new HashSet<DayOfWeek>();
        var keys = KeyWorkoutDays ?? new HashSet<DayOfWeek>();
        if (keys.Count > MaxKeyWorkoutDays) errors.Add(new("keyWorkoutDays", string.Join(",", keys), $"at most {MaxKeyWorkoutDays} days"));
        foreach (var day in keys.Where(d => !available.Contains(d)))
        {
            errors.Add(new("keyWorkoutDays", day.ToString(), "one of the available days"));
        }
        if (LongRunDay is { } longDay)
        {
            if (!available.Contains(longDay)) errors.Add(new("longRunDay", longDay.ToString(), "one of the available days"));
            if (keys.Contains(longDay)) errors.Add(new("longRunDay", longDay.ToString(), "a day that is not a key-workout day"));
        }
        if (Goal is { } goal && !Enum.IsDefined(goal.Distance)) errors.Add(new("goal.distance", goal.Distance.ToString(), "5k, 10k, half, marathon or ultra"));
        if (Injury is { } injury)
        {
            if (!Enum.IsDefined(injury.Kind)) errors.Add(new("injury.kind", injury.Kind.ToString(), RunnerProfileParser.InjuryNames));
            if (!Enum.IsDefined(injury.Side)) errors.Add(new("injury.side", injury.Side.ToString(), "left, right or both"));
        }
        for (var i = 0; i < (Tests ?? []).Count; i++)
        {
            var t = Tests![i];
            if (t.PainScore is { } pain && pain is < 0 or > 10) errors.Add(new($"tests[{i}].pain", pain.ToString(), "0–10"));
            if (t.StrengthLsiPercent is { } lsi && (!double.IsFinite(lsi) || lsi < 0 || lsi > 200)) errors.Add(new($"tests[{i}].strengthLsi", Guard.Format(lsi), "0–200 %"));
            if (t.HopLsiPercent is { } hop && (!double.IsFinite(hop) || hop < 0 || hop > 200)) errors.Add(new($"tests[{i}].hopLsi", Guard.Format(hop), "0–200 %"));
        }
        for (var i = 0; i < (OneRepMaxes ?? []).Count; i++)
        {
            var r = OneRepMaxes![i];
            if (string.IsNullOrWhiteSpace(r.Exercise)) errors.Add(new($"oneRepMax[{i}].exercise", "(empty)", "an exercise name"));
            if (!double.IsFinite(r.Kilograms) || r.Kilograms < 1 || r.Kilograms > 500) errors.Add(new($"oneRepMax[{i}].kg", Guard.Format(r.Kilograms), "1–500 kg"));
        }
        if (MaxHeartRate is { } hr && hr is < 100 or > 230) errors.Add(new("maxHeartRate", hr.ToString(), "100–230 bpm"));
        return errors;
    }

    /// <summary>Throws when <see cref="Validate"/> finds anything.</summary>
    /// <exception cref="ProfileInvalidException">one or more fields are invalid; all are listed.</exception>
    public RunnerProfile EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ProfileInvalidException(errors);
        return this;
    }

    /// <summary>The most recent test on or before <paramref name="date"/> that records the value <paramref name="pick"/> selects.</summary>
    public RehabTest? LatestTest(DateOnly date, Func<RehabTest, bool> pick)
        => Tests.Where(t => t.Date <= date && pick(t)).OrderByDescending(t => t.Date).FirstOrDefault();
}

/// <summary>One bad field of a profile: its name, the value given and what is allowed.</summary>
public sealed record ProfileError(string Field, string Value, string Allowed)
{
    public override string ToString() => $"{Field} must be {Allowed}, was {Value}";
}

/// <summary>A runner profile has invalid fields; <see cref="Errors"/> lists every one.</summary>
public sealed class ProfileInvalidException(IReadOnlyList<ProfileError> errors)
    : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<ProfileError> Errors { get; } = errors;
}
