using OpenBfr.Core.Limbs;
using OpenBfr.Cuff.Lop;
using OpenBfr.Cuff.Simulation;

namespace OpenBfr.Cuff.Tests.Lop;

/// <summary>The refining extension on swaying upright legs. Split from <see cref="AutomaticLopFinderTests"/> so xUnit runs these long simulations beside the other test classes (one class runs its tests one after another).</summary>
public class AutomaticLopFinderExtensionTests
{
    [Fact]
    public void Extension_SwayingUprightLegs_OnlyLegsStillWideAfterTheBudgetMeasureLonger()
    {
        // Seated and standing legs of a varied population with their sway doubled. The same legs
        // with the extension off (refining stops at 75 s as before) and on (the defaults: while
        // ± > 7, refining goes on to 240 s).
        var off = LopFinderOptions.Default with { ExtendedRefineBudgetSeconds = LopFinderOptions.Default.RefineBudgetSeconds, TimeoutSeconds = 150 };
        var legs = LimbPopulation.Create(45, 47).Where(l => l.Position != BodyPosition.Supine && l.TrueLopMmHg < LopFinderOptions.Default.MaxMmHg)
            .Select(l => l with { MotionArtifactSdMl = 2 * l.MotionArtifactSdMl }).ToList();
        legs.Count.ShouldBeGreaterThanOrEqualTo(24);
        // Legs in parallel (each run depends only on its own seeded limb; results kept in leg order).
        var runs = legs.AsParallel().AsOrdered().Select(l => (Limb: l, Off: LopFinderRig.Measure(l, off), On: LopFinderRig.Measure(l))).ToList();

        foreach (var (limb, before, after) in runs)
        {
            var id = $"limb seed {limb.Seed}, {limb.Position}, true {limb.TrueLopMmHg:0.0}";
            if (before.Succeeded && before.Uncertainty!.Value.MmHg <= LopFinderOptions.Default.ExtendAboveMmHg)
            {
                // Within ± 7 by the budget: exactly as without the extension.
                after.Lop.ShouldBe(before.Lop, id);
                after.Duration.ShouldBe(before.Duration, id);
                after.Steps.ShouldBe(before.Steps, id);
            }
            after.Duration.TotalSeconds.ShouldBeLessThan(LopFinderOptions.Default.TimeoutSeconds, id);
            if (after.Succeeded) Math.Abs(after.Lop!.Value.MmHg - limb.TrueLopMmHg).ShouldBeLessThanOrEqualTo(15, id);
        }
        var extended = runs.Where(r => r.On.Duration > r.Off.Duration).ToList();
        extended.ShouldNotBeEmpty();
        extended.ShouldAllBe(r => !r.Off.Succeeded || r.Off.Uncertainty!.Value.MmHg > LopFinderOptions.Default.ExtendAboveMmHg);
        // Measured on these legs: more values, none of them wrong by more than 15 mmHg.
        runs.Count(r => r.On.Succeeded).ShouldBeGreaterThan(runs.Count(r => r.Off.Succeeded));
    }
}
