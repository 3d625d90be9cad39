using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Safety;
using OpenBfr.Cuff.Session;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Cuff.Tests.Session;
using Xunit.Abstractions;

namespace OpenBfr.Cuff.Tests.Safety;

/// <summary>
/// Whole healthy sessions on varied limbs: no false fault. Split from <see cref="FaultDetectionTableTests"/> so xUnit
/// runs these long simulations beside the other test classes (one class runs its tests one after another).
/// </summary>
public class FaultDetectionWholeSessionTests(ITestOutputHelper output)
{
    [Fact]
    public void StrengthLower_StandingLegsBothRegulators_NoAirStatisticKeepsItsMargin()
    {
        // The healthy sessions that came closest to a false "pump gives no air" (standing legs, high LOPs: the most motion):
        // the summed missing rise must stay well under the supervisor's threshold, not just under it.
        // Measured: largest 3.72 mmHg against the threshold of 5 (bang-bang, LOP 295), over 264 healthy sessions also 3.72.
        var cases = LimbPopulation.Create(30, 79).Where(l => l.Position == BodyPosition.Standing).Select(l => (l, true))
            .Concat(LimbPopulation.Create(30, 777).Where(l => l.Position == BodyPosition.Standing).Select(l => (l, false)));
        var largest = 0.0;
        foreach (var (limb, closedLoop) in cases)
        {
            Func<IPressureRegulator> regulator = closedLoop ? () => new ClosedLoopRegulator() : () => new BangBangController();
            var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower.DoneIn(limb.Position), [(Limb.LeftLeg, limb)], regulator);
            rig.RunToEnd().ShouldBeTrue();
            var supervisor = rig.Session.Supervisor;
            supervisor.Fault.ShouldBeNull($"false fault on LOP {limb.TrueLopMmHg:0} {limb.Position}: {supervisor.Fault?.Reason}");
            var peak = supervisor.NoAirPeakMmHg(supervisor.Cuffs[0].Id);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(closedLoop ? "openbfr" : "bang-bang"),-9} LOP {limb.TrueLopMmHg:0}: largest no-air sum {peak:0.00} mmHg"));
            largest = Math.Max(largest, peak);
        }
        largest.ShouldBeGreaterThan(0); // the statistic is live on these sessions
        largest.ShouldBeLessThanOrEqualTo(0.8 * SafetySupervisor.NoAirMissedMmHg);
    }

    [Fact]
    public void StrengthLower_VariedLegs_WholeSessionsWithoutAFalseFault()
    {
        // 62 varied legs (every position, pump, valve, bladder and sensor varied) each run a whole
        // strength-lower session with the closed-loop controller, probes and all: no fault may trip.
        // Seed 77's standing leg of LOP 282 (bladder slack 181 mL, weak pump) once tripped the
        // inflation check: it rose at 88% of the model over its first inflation, but only 52% at
        // 173 mmHg, so a later inflation there looked like a leak until the check compared it with
        // the cuff's own rise near that pressure.
        var limbs = LimbPopulation.Create(30, 77).Concat(LimbPopulation.Create(12, 79)).Concat(LimbPopulation.Create(20, 901));
        // Sessions in parallel (each depends only on its own seeded limb), then checked in order.
        var runs = limbs.AsParallel().AsOrdered().Select(limb =>
        {
            var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower.DoneIn(limb.Position), [(Limb.LeftLeg, limb)], () => new ClosedLoopRegulator());
            return (Limb: limb, Rig: rig, Ended: rig.RunToEnd());
        }).ToList();
        foreach (var (limb, rig, ended) in runs)
        {
            ended.ShouldBeTrue();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LOP {limb.TrueLopMmHg:0} {limb.Position}: {rig.Session.Phase}, {rig.Session.Supervisor.Fault?.Reason}"));
            rig.Session.Supervisor.Fault.ShouldBeNull($"false fault on LOP {limb.TrueLopMmHg:0} {limb.Position}");
            rig.Session.Phase.ShouldBe(SessionPhase.Done);
        }
    }

    [Fact]
    public void StrengthLower_PausedMidSetAndInALastRep_VariedLegs_NoFalseFault()
    {
        // A pause restarts the motion: the repeated-motion leak check must not compare a rep with one
        // from before the pause (the cuff was empty then), nor a restarted set's end with the previous set's.
        foreach (var limb in LimbPopulation.Create(6, 83))
        {
            var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower.DoneIn(limb.Position), [(Limb.LeftLeg, limb)], () => new ClosedLoopRegulator());
            var sets = 0;
            var last = SessionPhase.Ready;
            double? setStart = null;
            var paused = 0;
            var resumed = false;
            while (!rig.Session.IsEnded && rig.Seconds < 4 * 3600)
            {
                rig.Step();
                var phase = rig.Session.Phase;
                if (phase != last && phase == SessionPhase.Set && !resumed)
                {
                    sets++;
                    setStart = rig.Seconds;
                }
                if (phase != last && phase == SessionPhase.Set) resumed = false;
                last = phase;
                // Pause 9.3 s into set 2 and 28.6 s into set 3 (its last rep), each for 4 s.
                var at = sets == 2 ? 9.3 : sets == 3 ? 28.6 : double.NaN;
                if (phase == SessionPhase.Set && paused < sets - 1 && setStart is { } start && rig.Seconds >= start + at)
                {
                    rig.Session.Pause().ShouldBeTrue();
                    paused++;
                    var until = rig.Seconds + 4;
                    while (rig.Seconds < until) rig.Step();
                    rig.Session.Resume().ShouldBeTrue();
                    resumed = true;
                }
            }
            paused.ShouldBe(2);
            rig.Session.Supervisor.Fault.ShouldBeNull($"false fault on LOP {limb.TrueLopMmHg:0} {limb.Position}: {rig.Session.Supervisor.Fault?.Reason}");
            rig.Session.Phase.ShouldBe(SessionPhase.Done);
        }
    }

    [Fact]
    public void OtherProtocols_VariedArmsAndLegs_WholeSessionsWithoutAFalseFault()
    {
        // Arms (small bladders, small pulses: with a 0.5 mmHg sensor a quiet arm cuff can read one
        // value for a third of a second) and the aerobic, interval and passive protocols on legs.
        var cases = LimbPopulation.Create(12, 601, LimbKind.Arm).Select(l => (ProtocolCatalog.StrengthUpper, Limb.LeftArm, l))
            .Concat(new[] { ProtocolCatalog.WalkIntervals, ProtocolCatalog.AerobicWalk, ProtocolCatalog.Passive }
                .SelectMany(p => LimbPopulation.Create(2, 602).Select(l => (p, Limb.LeftLeg, l))));
        foreach (var (protocol, limb, simulated) in cases)
        {
            var rig = new SimulatedSessionRig(protocol.DoneIn(simulated.Position), [(limb, simulated)], () => new ClosedLoopRegulator());
            rig.RunToEnd().ShouldBeTrue();
            rig.Session.Supervisor.Fault.ShouldBeNull(
                $"false fault, {protocol.Name} on LOP {simulated.TrueLopMmHg:0} {simulated.Position} (sensor step {simulated.SensorQuantisationMmHg} mmHg): {rig.Session.Supervisor.Fault?.Reason}");
        }
    }

    [Fact]
    public void StrengthLower_BangBangOnTwentyStandingLegs_NoFalseFaultInTheLastRep()
    {
        // With a fully open vent the baseline dumped its cuff 25–35% under target in a 0.1 s dwell, which a weak pump
        // could not refill while the held load went off: a "falling below the band" fault on 2 of these legs (seeds 501
        // and 777) before its vent became a restricted orifice (BangBangController.DefaultVentOpening).
        var limbs = new[] { 501, 777 }.SelectMany(seed => LimbPopulation.Create(30, seed).Where(l => l.Position == BodyPosition.Standing));
        foreach (var limb in limbs)
        {
            var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower.DoneIn(limb.Position), [(Limb.LeftLeg, limb)], () => new BangBangController());
            rig.RunToEnd().ShouldBeTrue();
            rig.Session.Supervisor.Fault.ShouldBeNull($"false fault on LOP {limb.TrueLopMmHg:0} {limb.Position}: {rig.Session.Supervisor.Fault?.Reason}");
        }
    }

    [Fact]
    public void StrengthLower_VariedLegsWithBangBang_WholeSessionsWithoutAFalseFault()
    {
        var limbs = LimbPopulation.Create(6, 78);
        foreach (var limb in limbs)
        {
            var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower.DoneIn(limb.Position), [(Limb.LeftLeg, limb)], () => new BangBangController());
            rig.RunToEnd().ShouldBeTrue();
            rig.Session.Supervisor.Fault.ShouldBeNull($"false fault on LOP {limb.TrueLopMmHg:0} {limb.Position}: {rig.Session.Supervisor.Fault?.Reason}");
        }
    }
}
