using System.Globalization;
using OpenBfr.Web.Strength;

namespace OpenBfr.Web.Pages.Athletes;

/// <summary>
/// One limb's measurement fields on a strength form (<c>_StrengthResultFields.cshtml</c>): the
/// athlete page's new test (each side) and the correction page. The fields are grouped by the
/// kinds of test they belong to (limb: every kind but a check-in; load, reps and 1RM: load tests;
/// cm: hop for distance; s: the timed hop). Only the groups of <see cref="Measure"/> show; the
/// others are hidden and disabled, so nothing of another kind is posted, and strength-fields.js
/// switches them when the exercise (<c>_StrengthExerciseSelect.cshtml</c>) changes. The server
/// refuses a field of another kind posted anyway, naming it.
/// </summary>
public sealed record StrengthResultFields
{
    /// <summary>The kind of a check-in on a form: no limb and no measurement.</summary>
    public const string CheckInMeasure = "check-in";

    /// <summary>The limbs of the first (or only) side: right first, as the involved side usually is; "both" for a two-legged lift.</summary>
    private static readonly string[] FirstSideLimbs = ["right-leg", "left-leg", "right-arm", "left-arm", "both"];

    /// <summary>The other side of a pair: none by default, left first.</summary>
    private static readonly string[] OtherSideLimbs = ["", "left-leg", "right-leg", "left-arm", "right-arm"];

    /// <summary>The kind whose groups show: "load", "hop-distance", "hop-time" or <see cref="CheckInMeasure"/>.</summary>
    public required string Measure { get; init; }

    /// <summary>The limb select's label ("Limb", "Other side").</summary>
    public required string LimbLabel { get; init; }

    /// <summary>The limb select's values ("" shows as none, "both" as a two-legged lift).</summary>
    public required IReadOnlyList<string> Limbs { get; init; }

    /// <summary>The posted names of the fields, in the order of <see cref="StrengthResultInput"/>.</summary>
    public required string LimbName { get; init; }

    /// <summary>The involved tick box's name; null for a side that is never the involved one (no box).</summary>
    public string? InvolvedName { get; init; }

    public required string LoadKgName { get; init; }

    public required string RepsName { get; init; }

    public required string OneRepMaxKgName { get; init; }

    public required string HopDistanceCmName { get; init; }

    public required string HopTimeSecondsName { get; init; }

    /// <summary>The values the fields start with.</summary>
    public StrengthResultInput Values { get; init; } = new(null);

    /// <summary>Whether a group of fields for the kinds in <paramref name="measures"/> (space-separated) shows for <see cref="Measure"/>.</summary>
    public bool Shows(string measures) => measures.Split(' ').Contains(Measure, StringComparer.Ordinal);

    /// <summary>The correction page's one result, named as <see cref="StrengthTestForm"/> binds it.</summary>
    public static StrengthResultFields ForCorrection(StrengthTestForm f, string measure) => new()
    {
        Measure = measure, LimbLabel = "Limb", Limbs = FirstSideLimbs, LimbName = "Form.Limb", InvolvedName = "Form.Involved", LoadKgName = "Form.LoadKg", RepsName = "Form.Reps",
        OneRepMaxKgName = "Form.OneRepMaxKg", HopDistanceCmName = "Form.HopDistanceCm", HopTimeSecondsName = "Form.HopTimeSeconds",
        Values = new(f.Limb, f.Involved, f.LoadKg, f.Reps, f.OneRepMaxKg, f.HopDistanceCm, f.HopTimeSeconds),
    };

    /// <summary>The athlete page's new test, first side (usually the involved limb: ticked), named as the page's Strength handler binds it.</summary>
    public static StrengthResultFields ForFirstSide(string measure) => new()
    {
        Measure = measure, LimbLabel = "Limb", Limbs = FirstSideLimbs, LimbName = "limbA", InvolvedName = "involvedA", LoadKgName = "loadKgA", RepsName = "repsA",
        OneRepMaxKgName = "oneRepMaxKgA", HopDistanceCmName = "hopCmA", HopTimeSecondsName = "hopSecondsA", Values = new(null, Involved: true),
    };

    /// <summary>The athlete page's new test, the other side of a pair (optional; never the involved one).</summary>
    public static StrengthResultFields ForOtherSide(string measure) => new()
    {
        Measure = measure, LimbLabel = "Other side", Limbs = OtherSideLimbs, LimbName = "limbB", LoadKgName = "loadKgB", RepsName = "repsB",
        OneRepMaxKgName = "oneRepMaxKgB", HopDistanceCmName = "hopCmB", HopTimeSecondsName = "hopSecondsB",
    };

    /// <summary>A kind of test as the forms name it: "load", "hop-distance" or "hop-time".</summary>
    public static string MeasureName(TestMeasure measure) => measure switch
    {
        TestMeasure.HopDistance => "hop-distance",
        TestMeasure.HopTime => "hop-time",
        _ => "load",
    };

    /// <summary>The kind of the named exercise (<see cref="CheckInMeasure"/> for a check-in); null for a name that is neither.</summary>
    public static string? MeasureOf(string? exercise)
        => string.Equals(exercise?.Trim(), StrengthService.CheckIn, StringComparison.OrdinalIgnoreCase) ? CheckInMeasure
            : StrengthExercises.Find(exercise) is { } e ? MeasureName(e.Measure) : null;

    /// <summary>A limb value as its option reads.</summary>
    public static string LimbText(string limb) => limb switch
    {
        "" => "none",
        "both" => "both (two-legged lift)",
        _ => limb.Replace('-', ' '),
    };

    /// <summary>A number as a number input's value (invariant: "62.5").</summary>
    public static string Value(double? v) => v?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";
}

/// <summary>The exercise select of a strength form (<c>_StrengthExerciseSelect.cshtml</c>): each option carries its kind, which strength-fields.js switches the result fields on.</summary>
/// <param name="Name">the posted name ("exercise", "Form.Exercise").</param>
/// <param name="Selected">the exercise selected; null selects the first.</param>
public sealed record StrengthExerciseSelect(string Name, string? Selected);
