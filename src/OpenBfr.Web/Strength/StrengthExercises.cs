using OpenBfr.Core.Limbs;

namespace OpenBfr.Web.Strength;

/// <summary>What a test measures.</summary>
public enum TestMeasure
{
    /// <summary>A load lifted for 1–12 repetitions (or a measured 1RM): the 1RM is the result.</summary>
    Load,

    /// <summary>A single-leg hop for distance, cm: the distance is the result.</summary>
    HopDistance,

    /// <summary>A single-leg hop over a set distance for time, s: the time is the result, lower is better (LSI = uninvolved / involved).</summary>
    HopTime,
}

/// <summary>An exercise a strength or hop test can use.</summary>
/// <param name="Name">kebab-case id ("leg-press").</param>
/// <param name="Title">display name.</param>
/// <param name="Measure">load (1RM), hop distance or hop time.</param>
/// <param name="Kind">arm or leg exercise: the limbs it is tested on.</param>
/// <param name="Unilateral">true when it can only be done one limb at a time (hops).</param>
public sealed record StrengthExercise(string Name, string Title, TestMeasure Measure, LimbKind Kind, bool Unilateral = false);

/// <summary>
/// The exercises a test can record. The lower-limb names match the core protocols' strength
/// exercises ("squat", "calf-raise", "step-up"…) so a recorded 1RM gives the planner kilograms.
/// Hop tests are the limb-symmetry tests of return-to-sport batteries (Grindem et al. 2016:
/// quadriceps strength and four hop tests, LSI ≥ 90%): three for distance and the 6 m timed hop,
/// whose LSI is uninvolved / involved time (Noyes et al. 1991).
/// </summary>
public static class StrengthExercises
{
    public static IReadOnlyList<StrengthExercise> All { get; } =
    [
        new("leg-press", "Leg press", TestMeasure.Load, LimbKind.Leg),
        new("knee-extension", "Knee extension", TestMeasure.Load, LimbKind.Leg),
        new("hamstring-curl", "Hamstring curl", TestMeasure.Load, LimbKind.Leg),
        new("squat", "Squat", TestMeasure.Load, LimbKind.Leg),
        new("split-squat", "Split squat", TestMeasure.Load, LimbKind.Leg),
        new("step-up", "Step-up", TestMeasure.Load, LimbKind.Leg),
        new("calf-raise", "Calf raise", TestMeasure.Load, LimbKind.Leg),
        new("hamstring-bridge", "Hamstring bridge", TestMeasure.Load, LimbKind.Leg),
        new("biceps-curl", "Biceps curl", TestMeasure.Load, LimbKind.Arm),
        new("triceps-extension", "Triceps extension", TestMeasure.Load, LimbKind.Arm),
        new("single-leg-hop", "Single-leg hop for distance", TestMeasure.HopDistance, LimbKind.Leg, Unilateral: true),
        new("triple-hop", "Triple hop for distance", TestMeasure.HopDistance, LimbKind.Leg, Unilateral: true),
        new("crossover-hop", "Crossover hop for distance", TestMeasure.HopDistance, LimbKind.Leg, Unilateral: true),
        new("timed-hop", "6 m timed hop", TestMeasure.HopTime, LimbKind.Leg, Unilateral: true),
    ];

    /// <summary>The exercise named <paramref name="name"/>, or null.</summary>
    public static StrengthExercise? Find(string? name)
        => string.IsNullOrWhiteSpace(name) ? null : All.FirstOrDefault(e => e.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The names, for error messages.</summary>
    public static string Names => string.Join(", ", All.Select(e => e.Name));
}
