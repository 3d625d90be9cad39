using OpenBfr.Core;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Time;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Simulation;

namespace OpenBfr.Cuff.Session;

/// <summary>
/// A guided session on simulated limbs, in virtual time: one <see cref="CuffSimulator"/> per
/// limb (its true LOP is the LOP the prescription uses, as if measured by Doppler in the
/// exercise position), one regulator per cuff, one shared <see cref="ManualTimeProvider"/>.
/// <see cref="Step"/> moves the world one tick (10 ms, the sensor's 100 Hz) and ticks the session.
/// Used by the CLI's <c>session run --simulate</c>, the tests and the bench.
/// </summary>
public sealed class SimulatedSessionRig
{
    /// <summary>The tick: the simulated sensor's sample period (100 Hz).</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <param name="protocol">the protocol every limb follows.</param>
    /// <param name="limbs">the limbs and their true LOPs, mmHg (50–400).</param>
    /// <param name="seed">seed of every simulated limb (each limb gets its own stream from it).</param>
    /// <param name="regulator">makes one regulator per cuff.</param>
    /// <param name="options">session options; null for the defaults.</param>
    /// <param name="position">exercise position; null for the protocol's usual one (<see cref="Protocol.UsualPosition"/>).</param>
    /// <param name="percent">target % LOP; null for the modality's default.</param>
    /// <exception cref="ArgumentException">no limbs, a limb twice, or a limb the protocol is not for.</exception>
    /// <exception cref="ArgumentOutOfRangeException">a LOP or percent out of range.</exception>
    public SimulatedSessionRig(
        Protocol protocol,
        IReadOnlyList<(Limb Limb, double LopMmHg)> limbs,
        int seed,
        Func<IPressureRegulator> regulator,
        SessionOptions? options = null,
        BodyPosition? position = null,
        double? percent = null)
        : this(protocol, SimulatedLimbs(protocol, limbs, seed, position), regulator, options, percent)
    {
    }

    /// <summary>A session on limbs the caller has built (e.g. from <see cref="LimbPopulation"/>); all must share one position.</summary>
    /// <param name="protocol">the protocol every limb follows.</param>
    /// <param name="limbs">each limb with its simulated limb, cuff and sensor; its true LOP is the LOP the prescription uses.</param>
    /// <param name="regulator">makes one regulator per cuff.</param>
    /// <param name="options">session options; null for the defaults.</param>
    /// <param name="percent">target % LOP; null for the modality's default.</param>
    /// <exception cref="ArgumentException">no limbs, a limb twice, positions that differ, or a limb the protocol is not for.</exception>
    /// <exception cref="ArgumentOutOfRangeException">a LOP or percent out of range.</exception>
    public SimulatedSessionRig(
        Protocol protocol,
        IReadOnlyList<(Limb Limb, SimulatedLimb Simulated)> limbs,
        Func<IPressureRegulator> regulator,
        SessionOptions? options = null,
        double? percent = null)
    {
        Guard.NotNull(protocol);
        Guard.NotNull(regulator);
        if (Guard.NotNull(limbs).Count == 0) throw new ArgumentException("at least one limb is required", nameof(limbs));
        if (limbs.Select(l => l.Limb).Distinct().Count() != limbs.Count) throw new ArgumentException("each limb may appear once", nameof(limbs));
        if (limbs.Select(l => l.Simulated.Position).Distinct().Count() != 1) throw new ArgumentException("all limbs of a session share one position", nameof(limbs));
        Clock = new ManualTimeProvider();
        Position = limbs[0].Simulated.Position;
        var now = Clock.GetUtcNow();
        var simulators = new List<CuffSimulator>();
        var cuffs = new List<SessionCuff>();
        foreach (var (limb, simulatedLimb) in limbs)
        {
            var lopMmHg = Guard.InRange(simulatedLimb.TrueLopMmHg, LimbOcclusionPressure.MinAccepted.MmHg, LimbOcclusionPressure.MaxAccepted.MmHg, "mmHg", "lop");
            var sim = new CuffSimulator(simulatedLimb, now, limb.ToKebab());
            simulators.Add(sim);
            var lop = new LimbOcclusionPressure(Pressure.FromMmHg(lopMmHg), limb, Position,
                limb.IsLeg() ? CuffDescription.StandardLeg : CuffDescription.StandardArm, LopMethod.Doppler, now);
            var prescription = Prescriber.Prescribe(new PrescriptionRequest(lop, limb, protocol.Modality, Position, now, percent, Protocol: protocol));
            cuffs.Add(new SessionCuff(sim, prescription, regulator(), new MuscleActivity(sim.BeginSet, sim.EndSet)));
        }
        Simulators = simulators;
        Session = new GuidedSession(cuffs, Clock, options);
    }

    private static List<(Limb, SimulatedLimb)> SimulatedLimbs(Protocol protocol, IReadOnlyList<(Limb Limb, double LopMmHg)> limbs, int seed, BodyPosition? position)
    {
        Guard.NotNull(protocol);
        var at = position ?? Guard.NotNull(protocol).UsualPosition;
        var list = new List<(Limb, SimulatedLimb)>();
        for (var i = 0; i < Guard.NotNull(limbs).Count; i++)
        {
            var (limb, lopMmHg) = limbs[i];
            Guard.InRange(lopMmHg, LimbOcclusionPressure.MinAccepted.MmHg, LimbOcclusionPressure.MaxAccepted.MmHg, "mmHg", "lop");
            var limbSeed = unchecked(seed * 7919 + i);
            list.Add((limb, limb.IsLeg() ? SimulatedLimb.Leg(lopMmHg, at, limbSeed) : SimulatedLimb.Arm(lopMmHg, at, limbSeed)));
        }
        return list;
    }

    public ManualTimeProvider Clock { get; }

    public BodyPosition Position { get; }

    public IReadOnlyList<CuffSimulator> Simulators { get; }

    public GuidedSession Session { get; }

    /// <summary>Virtual seconds since the start.</summary>
    public double Seconds => Simulators[0].Elapsed.TotalSeconds;

    /// <summary>One tick: time moves 10 ms, every simulator runs to it, then the session ticks.</summary>
    public void Step()
    {
        Clock.Advance(Tick);
        var now = Clock.GetUtcNow();
        foreach (var sim in Simulators) sim.AdvanceTo(now);
        Session.Tick();
    }

    /// <summary>Moves the world without ticking the session: the host has gone quiet.</summary>
    public void StepWithoutHost()
    {
        Clock.Advance(Tick);
        var now = Clock.GetUtcNow();
        foreach (var sim in Simulators) sim.AdvanceTo(now);
    }

    /// <summary>Steps until the session is finished or <paramref name="maxSeconds"/> of virtual time pass; true when finished.</summary>
    public bool RunToEnd(double maxSeconds = 4 * 3600)
    {
        var end = Seconds + maxSeconds;
        while (!Session.IsFinished)
        {
            if (Seconds >= end) return false;
            Step();
        }
        return true;
    }
}
