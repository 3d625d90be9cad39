using OpenBfr.Core.Units;

namespace OpenBfr.Core.Safety;

/// <summary>What an inflation is for; it sets the longest continuous inflation allowed.</summary>
public enum InflationKind
{
    /// <summary>Resistance exercise and passive BFR: ≤ 10 min continuous.</summary>
    Exercise,

    /// <summary>Aerobic exercise (walking, cycling): ≤ 20 min continuous.</summary>
    Aerobic,
}

/// <summary>
/// The hard safety limits of DESIGN.md section 3, in one place. They are constants: no
/// option, clinician or configuration can raise them. Every path that yields a pressure or an
/// inflation time goes through <see cref="CheckTarget"/> or <see cref="CheckInflation"/>, and
/// the cuff's safety supervisor reads its thresholds from here.
/// </summary>
public static class SafetyLimits
{
    /// <summary>A prescription is never at or above this share of LOP.</summary>
    public const double OcclusionPercent = 100;

    /// <summary>Highest exercise (and passive) pressure, % LOP (Patterson et al. 2019: 40–80% LOP).</summary>
    public const double MaxExercisePercentOfLop = 80;

    /// <summary>Absolute cuff pressure cap: any reading above it is a fault.</summary>
    public static Pressure AbsoluteCap => Pressure.MaxCuff;

    /// <summary>
    /// A reading at or above 100% LOP for longer than this is a fault; shorter peaks during a
    /// contraction are expected (Swain et al. 2025: Delfi peaked at 89% LOP on an 80% target).
    /// </summary>
    public static readonly TimeSpan MaxTimeAtOrAboveLop = TimeSpan.FromSeconds(2);

    /// <summary>Longest continuous inflation for one resistance exercise (seeds: "typically 5 to 10 minutes or less").</summary>
    public static readonly TimeSpan MaxContinuousExerciseInflation = TimeSpan.FromMinutes(10);

    /// <summary>Longest continuous inflation for aerobic BFR (seed "BFR Training for Runners &amp; Endurance Athletes": 10–20 min).</summary>
    public static readonly TimeSpan MaxContinuousAerobicInflation = TimeSpan.FromMinutes(20);

    /// <summary>Never longer than this without deflating, whatever the kind (SmartCuffs manual).</summary>
    public static readonly TimeSpan AbsoluteMaxContinuousInflation = TimeSpan.FromMinutes(20);

    /// <summary>Shortest deflation (reperfusion) after an inflation (Patterson et al. 2019: > 1 min between exercises).</summary>
    public static readonly TimeSpan MinDeflation = TimeSpan.FromMinutes(1);

    /// <summary>Pain above this on a 0–10 scale means deflate now (SmartCuffs manual; Brandner et al. 2018).</summary>
    public const int MaxTolerablePain = 7;

    /// <summary>The longest continuous inflation for the kind of exercise.</summary>
    public static TimeSpan MaxContinuousInflation(InflationKind kind) => kind switch
    {
        InflationKind.Aerobic => MaxContinuousAerobicInflation,
        _ => MaxContinuousExerciseInflation,
    };

    /// <summary>The highest pressure the limits allow on this LOP: 80% LOP and never above the 300 mmHg cap.</summary>
    public static Pressure Ceiling(Pressure lop) => Pressure.Min(lop.Percent(MaxExercisePercentOfLop), AbsoluteCap);

    /// <summary>
    /// Checks a pressure target (a prescription, a set-point, a clinician's entry) against the
    /// hard limits and returns it unchanged when it passes.
    /// </summary>
    /// <exception cref="SafetyLimitExceededException">target at or above 100% LOP, above 80% LOP, above 300 mmHg, or negative; or a LOP that is not positive.</exception>
    public static Pressure CheckTarget(Pressure target, Pressure lop)
    {
        if (lop <= Pressure.Zero)
        {
            // Without a positive LOP the percentage is NaN or negative and every comparison below would pass.
            throw new SafetyLimitExceededException(SafetyLimit.NoLop, lop.MmHg, 0,
                $"LOP {lop} cannot be a reference: a target is checked only against a positive LOP");
        }
        if (target < Pressure.Zero)
        {
            throw new SafetyLimitExceededException(SafetyLimit.NegativePressure, target.MmHg, 0, "a cuff target cannot be negative");
        }
        if (target > AbsoluteCap)
        {
            throw new SafetyLimitExceededException(SafetyLimit.AbsoluteCap, target.MmHg, AbsoluteCap.MmHg,
                $"target {target} is above the absolute cuff cap of {AbsoluteCap}");
        }
        var percent = target.PercentOf(lop);
        if (percent >= OcclusionPercent)
        {
            throw new SafetyLimitExceededException(SafetyLimit.AtOrAboveLop, percent, OcclusionPercent,
                $"target {target} is {percent:0.#}% of LOP {lop}; a BFR pressure is never at or above 100% LOP");
        }
        if (percent > MaxExercisePercentOfLop + 1e-9)
        {
            throw new SafetyLimitExceededException(SafetyLimit.ExercisePercentOfLop, percent, MaxExercisePercentOfLop,
                $"target {target} is {percent:0.#}% of LOP {lop}; exercise pressure must be ≤ {MaxExercisePercentOfLop}% LOP");
        }
        return target;
    }

    /// <summary>Checks a planned continuous inflation and returns it unchanged when it passes.</summary>
    /// <exception cref="SafetyLimitExceededException">longer than the kind's maximum (10 or 20 min).</exception>
    public static TimeSpan CheckInflation(TimeSpan continuous, InflationKind kind)
    {
        var max = MaxContinuousInflation(kind);
        if (continuous > max || continuous < TimeSpan.Zero)
        {
            throw new SafetyLimitExceededException(SafetyLimit.ContinuousInflation, continuous.TotalMinutes, max.TotalMinutes,
                $"continuous inflation of {continuous.TotalMinutes:0.#} min exceeds {max.TotalMinutes:0} min for {kind.ToString().ToLowerInvariant()} BFR; deflate for at least {MinDeflation.TotalMinutes:0} min");
        }
        return continuous;
    }

    /// <summary>Checks a planned deflation between inflations and returns it unchanged when it passes.</summary>
    /// <exception cref="SafetyLimitExceededException">shorter than 1 min.</exception>
    public static TimeSpan CheckDeflation(TimeSpan deflation)
    {
        if (deflation < MinDeflation)
        {
            throw new SafetyLimitExceededException(SafetyLimit.Deflation, deflation.TotalSeconds, MinDeflation.TotalSeconds,
                $"deflation of {deflation.TotalSeconds:0} s is shorter than the minimum {MinDeflation.TotalSeconds:0} s");
        }
        return deflation;
    }

    /// <summary>True when a reported pain score requires deflating now.</summary>
    public static bool PainRequiresDeflation(int painOutOf10) => painOutOf10 > MaxTolerablePain;
}

/// <summary>Which hard limit was hit.</summary>
public enum SafetyLimit
{
    NegativePressure,
    AbsoluteCap,
    AtOrAboveLop,
    ExercisePercentOfLop,
    ContinuousInflation,
    Deflation,

    /// <summary>The LOP given as the reference is zero or negative, so no target can be checked against it.</summary>
    NoLop,
}

/// <summary>A hard safety limit would be (or was) exceeded. Carries the limit and the offending value.</summary>
public sealed class SafetyLimitExceededException(SafetyLimit limit, double value, double allowed, string message)
    : Exception(message)
{
    public SafetyLimit Limit { get; } = limit;

    /// <summary>The offending value, in the limit's unit (mmHg, % LOP, minutes or seconds).</summary>
    public double Value { get; } = value;

    /// <summary>The limit's allowed bound in the same unit.</summary>
    public double Allowed { get; } = allowed;
}
