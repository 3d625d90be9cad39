using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Core.Prescriptions;

/// <summary>The allowed working pressure for a modality and limb, in % LOP, with its source.</summary>
/// <param name="LowPercent">low end, % LOP.</param>
/// <param name="HighPercent">high end, % LOP (never above 80).</param>
/// <param name="DefaultPercent">the usual target when none is given.</param>
/// <param name="Source">the citation behind the range.</param>
public sealed record PressureRange(double LowPercent, double HighPercent, double DefaultPercent, string Source)
{
    /// <summary>The pressure ranges of DESIGN.md section 3.</summary>
    public static PressureRange For(Modality modality, LimbKind limb) => (modality, limb) switch
    {
        // Seed "BFR Training for Runners & Endurance Athletes"; Patterson et al. 2019 (40–80% LOP).
        (Modality.Resistance, LimbKind.Leg) => new(50, 80, 70, $"{Sources.SeedRunnersEndurance}; {Sources.Patterson2019}"),
        // Same seed (20–40% for arms); Owens: arm 40–50%.
        (Modality.Resistance, LimbKind.Arm) => new(20, 40, 30, $"{Sources.SeedRunnersEndurance}; {Sources.Owens}"),
        // Same seed: aerobic 50–60% LOP.
        (Modality.Aerobic, _) => new(50, 60, 50, Sources.SeedRunnersEndurance),
        // Park et al. 2010 walk intervals; seed aerobic range 50–60% LOP.
        (Modality.WalkIntervals, _) => new(50, 60, 50, $"{Sources.Park2010}; {Sources.SeedRunnersEndurance}"),
        // Abe et al. 2010 cycling; seed aerobic range 50–60% LOP.
        (Modality.Cycling, _) => new(50, 60, 50, $"{Sources.Abe2010}; {Sources.SeedRunnersEndurance}"),
        // Clinician-set, ≤ 80% LOP (Patterson et al. 2019 via AIS: 40–80% LOP).
        (Modality.Passive, _) => new(40, 80, 50, Sources.Patterson2019),
        // Clinician-set within the exercise limits; OpenBFR defaults to the low end of Patterson's range.
        (Modality.SprintRecovery, _) => new(40, 80, 50, $"{Sources.SeedRunnersKinetix}; {Sources.Taylor2016}; {Sources.Patterson2019}"),
        _ => throw new ArgumentOutOfRangeException(nameof(modality), modality, "unknown modality"),
    };
}
