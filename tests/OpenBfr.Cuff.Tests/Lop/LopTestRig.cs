using OpenBfr.Core.Time;
using OpenBfr.Cuff.Lop;
using OpenBfr.Cuff.Simulation;

namespace OpenBfr.Cuff.Tests.Lop;

/// <summary>What the automatic LOP finder's test classes share: a measurement on the simulator and the cuff bench's legs.</summary>
internal static class LopTestRig
{
    /// <summary>Runs the finder on a simulator, tracking the highest true cuff pressure.</summary>
    internal static (LopMeasurement Result, double MaxTrueMmHg, double FinalTrueMmHg) Measure(SimulatedLimb limb, Action<CuffSimulator>? configure = null)
    {
        var clock = new ManualTimeProvider();
        var sim = new CuffSimulator(limb, clock.GetUtcNow());
        configure?.Invoke(sim);
        var finder = new AutomaticLopFinder(sim, clock);
        double max = 0;
        for (var i = 0; i < 40_000 && !finder.IsFinished; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            sim.AdvanceTo(clock.GetUtcNow());
            finder.Tick();
            max = Math.Max(max, sim.TruePressureMmHg);
        }
        finder.IsFinished.ShouldBeTrue();
        return (finder.Result!, max, sim.TruePressureMmHg);
    }

    /// <summary>The cuff bench's leg <paramref name="index"/>: population seed 2026 (held-out ones: 3026, 4026), motion ×0.5–3 drawn in turn from Random(2025) (3025, 4025).</summary>
    internal static SimulatedLimb BenchLeg(int index, int populationSeed = 2026, int motionSeed = 2025)
    {
        var population = LimbPopulation.Create(500, populationSeed);
        var random = new Random(motionSeed);
        var limb = population[0];
        for (var i = 0; i <= index; i++) limb = population[i] with { MotionArtifactSdMl = population[i].MotionArtifactSdMl * (0.5 + 2.5 * random.NextDouble()) };
        return limb;
    }

}
