using OpenBfr.Core;
using OpenBfr.Core.Time;
using OpenBfr.Cuff.Simulation;

namespace OpenBfr.Cuff.Lop;

/// <summary>Runs the automatic LOP finder on a simulated limb in virtual time (CLI, tests, bench).</summary>
public static class LopFinderRig
{
    /// <summary>Measures the simulated limb's LOP; the simulator's true LOP is in <paramref name="limb"/>.</summary>
    /// <param name="limb">the simulated limb (its seed fixes every random source).</param>
    /// <param name="options">finder options; null for the defaults.</param>
    /// <param name="configure">optional: inject faults into the simulator before the run.</param>
    public static LopMeasurement Measure(SimulatedLimb limb, LopFinderOptions? options = null, Action<CuffSimulator>? configure = null)
    {
        Guard.NotNull(limb);
        var clock = new ManualTimeProvider();
        var sim = new CuffSimulator(limb, clock.GetUtcNow());
        configure?.Invoke(sim);
        var finder = new AutomaticLopFinder(sim, clock, options);
        var tick = TimeSpan.FromMilliseconds(1000.0 / limb.SensorRateHz);
        // Bounded: the finder times out by itself; this only guards against a bug.
        for (var i = 0; i < 400 * limb.SensorRateHz && !finder.IsFinished; i++)
        {
            clock.Advance(tick);
            sim.AdvanceTo(clock.GetUtcNow());
            finder.Tick();
        }
        return finder.Result ?? throw new InvalidOperationException("the LOP finder did not finish");
    }
}
