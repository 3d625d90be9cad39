namespace OpenBfr.Core.Metrics;

/// <summary>An estimated one-repetition maximum by both classic equations.</summary>
/// <param name="EpleyKg">w·(1 + r/30) (Epley 1985).</param>
/// <param name="BrzyckiKg">w·36/(37 − r) (Brzycki 1993).</param>
public sealed record OneRepMax(double EpleyKg, double BrzyckiKg);

/// <summary>Strength estimates and limb symmetry.</summary>
public static class Strength
{
    /// <summary>Most repetitions the 1RM equations are used for: beyond 12 they lose accuracy (DESIGN.md section 3).</summary>
    public const int MaxRepsFor1Rm = 12;

    /// <summary>Heaviest load accepted, kg.</summary>
    public const double MaxWeightKg = 1000;

    /// <summary>
    /// Estimates 1RM from a set to failure. With one repetition the lift is the 1RM, so both
    /// estimates equal the weight (Epley's equation alone would add 3.3%).
    /// </summary>
    /// <param name="weightKg">0 &lt; w ≤ 1000 kg.</param>
    /// <param name="reps">1–12 repetitions to failure.</param>
    /// <exception cref="ArgumentOutOfRangeException">weight or reps out of range.</exception>
    public static OneRepMax EstimateOneRepMax(double weightKg, int reps)
    {
        Guard.Positive(weightKg, "kg", "weightKg");
        Guard.InRange(weightKg, 0, MaxWeightKg, "kg", "weightKg");
        Guard.InRange(reps, 1, MaxRepsFor1Rm, "repetitions (the equations are not valid beyond 12)", "reps");
        if (reps == 1) return new OneRepMax(weightKg, weightKg);
        return new OneRepMax(
            weightKg * (1 + reps / 30.0),       // Epley 1985
            weightKg * 36 / (37 - reps));       // Brzycki 1993, JOPERD 64:88
    }

    /// <summary>Low-load BFR resistance: 20–30% 1RM (seed "BFR Training for Runners &amp; Endurance Athletes"; Patterson et al. 2019: 20–40%).</summary>
    public const double BfrLoadLowPercent1Rm = 20, BfrLoadHighPercent1Rm = 30;

    /// <summary>Limb symmetry index = involved / uninvolved × 100 (Rambaud 2018; Grindem 2016).</summary>
    /// <param name="involved">the injured or operated limb's result (strength, hop distance...), &gt; 0.</param>
    /// <param name="uninvolved">the other limb's result in the same unit, &gt; 0.</param>
    /// <returns>LSI, %.</returns>
    /// <exception cref="ArgumentOutOfRangeException">a value not positive.</exception>
    public static double LimbSymmetryIndex(double involved, double uninvolved)
    {
        Guard.InRange(involved, 0, double.MaxValue, "(same unit as uninvolved)", "involved");
        Guard.Positive(uninvolved, "(same unit as involved)", "uninvolved");
        return involved / uninvolved * 100;
    }

    /// <summary>
    /// Limb symmetry index for a result where lower is better (a time, such as the 6 m timed hop):
    /// uninvolved / involved × 100, so a slower involved limb gives less than 100% (Noyes et al. 1991).
    /// </summary>
    /// <param name="involvedTime">the injured or operated limb's result (seconds...), &gt; 0.</param>
    /// <param name="uninvolvedTime">the other limb's result in the same unit, &gt; 0.</param>
    /// <returns>LSI, %.</returns>
    /// <exception cref="ArgumentOutOfRangeException">a value not positive.</exception>
    public static double TimedLimbSymmetryIndex(double involvedTime, double uninvolvedTime)
    {
        // A time of 0 would be an infinite LSI: both must be positive (the distance form allows an involved 0).
        Guard.Positive(involvedTime, "(same unit as the other limb)", "involvedTime");
        Guard.Positive(uninvolvedTime, "(same unit as the other limb)", "uninvolvedTime");
        return uninvolvedTime / involvedTime * 100; // Noyes et al. 1991, Am J Sports Med 19:513
    }
}
