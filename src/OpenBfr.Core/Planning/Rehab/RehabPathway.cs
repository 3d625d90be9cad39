using OpenBfr.Core.Planning.Profile;

namespace OpenBfr.Core.Planning.Rehab;

/// <summary>How much running a rehab stage allows.</summary>
public enum RunningAllowance
{
    /// <summary>No running; aerobic fitness is kept with BFR cycling or walking.</summary>
    None,

    /// <summary>Walk-run return-to-run sessions, short, on non-consecutive days.</summary>
    WalkRun,

    /// <summary>The runner's schedule as given, without key workouts.</summary>
    EasyOnly,

    /// <summary>The runner's schedule as given.</summary>
    Full,
}

/// <summary>
/// What must be true to enter a stage. Every criterion that is set must be met by the time since
/// the injury or operation and by the athlete's recorded tests on or before the day.
/// </summary>
/// <param name="MinDaysSinceInjury">days since onset or operation, or null.</param>
/// <param name="PainBelow">latest recorded pain must be strictly below this (0–10), or null.</param>
/// <param name="MinStrengthLsiPercent">latest strength LSI must be at least this, or null.</param>
/// <param name="LsiStrictlyAbove">true when the LSI must be strictly above the threshold ("&gt; 70%").</param>
/// <param name="ClinicianClearance">a clinician must have recorded clearance on or after the injury date.</param>
/// <param name="Source">the citation for the gate.</param>
/// <param name="MinHopLsiPercent">
/// the latest hop-test LSI must be at least this, or null. Checked when a hop test has been recorded:
/// the hop battery is not done after every injury, and the strength LSI still gates without it.
/// </param>
public sealed record StageGate(
    int? MinDaysSinceInjury,
    int? PainBelow,
    double? MinStrengthLsiPercent,
    bool LsiStrictlyAbove,
    bool ClinicianClearance,
    string? Source,
    double? MinHopLsiPercent = null);

/// <summary>One stage of a rehab pathway: its gate and its weekly BFR work.</summary>
/// <param name="Id">short id ("return-to-run").</param>
/// <param name="Title">display title.</param>
/// <param name="Gate">the gate to enter this stage.</param>
/// <param name="StrengthBfrPerWeek">BFR strength sessions per week on the involved leg(s), 0–4.</param>
/// <param name="Exercises">the strength exercises from the seed's list (names of <c>strength-lower</c> exercises).</param>
/// <param name="PassiveBfrPerWeek">passive BFR sessions per week (early post-op), 0–7.</param>
/// <param name="AerobicBfrPerWeek">BFR cycling or walking sessions per week to keep aerobic fitness, 0–4.</param>
/// <param name="AerobicProtocol">the aerobic protocol name ("cycling", "aerobic-walk", "walk-intervals", "aerobic-cycle").</param>
/// <param name="Running">how much running is allowed.</param>
/// <param name="HeavyStrength">whether heavy strength without BFR belongs in this stage.</param>
/// <param name="Note">one line for the runner about the stage.</param>
public sealed record RehabStage(
    string Id,
    string Title,
    StageGate Gate,
    int StrengthBfrPerWeek,
    IReadOnlyList<string> Exercises,
    int PassiveBfrPerWeek,
    int AerobicBfrPerWeek,
    string AerobicProtocol,
    RunningAllowance Running,
    bool HeavyStrength,
    string Note);

/// <summary>A rehab pathway for one injury or operation: ordered, gated stages.</summary>
/// <param name="Injury">the injury.</param>
/// <param name="Title">display title.</param>
/// <param name="PostOperative">true after surgery (and for a fracture): BFR needs a clinician's clearance and is prescribed conservatively.</param>
/// <param name="Stages">stages in order; the first stage's gate is the entry gate.</param>
/// <param name="Sources">citations for the pathway.</param>
public sealed record RehabPathway(
    InjuryKind Injury,
    string Title,
    bool PostOperative,
    IReadOnlyList<RehabStage> Stages,
    IReadOnlyList<string> Sources);
