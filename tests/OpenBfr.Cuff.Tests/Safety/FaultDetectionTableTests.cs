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
/// Issue 3 acceptance as a table: every fault type × every phase of a session (inflating, a set with
/// contractions, the end of a set while the muscle relaxes, the rest with the cuff on, holding through
/// a walk interval, and the reperfusion with the cuffs off), on the nominal two-leg rig with both
/// regulators and on a varied population of legs. Each row asserts: detected within 0.5 s of the
/// moment the fault became observable, every cuff below 20 mmHg (true pressure) within 1 s of
/// detection, and the reason recorded (a slow leak: detected before the cuff has been out of its
/// ±10% band for 2 s, or held in band by the controller; a lost host: the device's watchdog
/// deflates 2 s after the last heartbeat).
/// <para>
/// "Observable" (the clock the 0.5 s runs on): a spike or a lost host, at its onset; a leak or a
/// frozen sensor, at its onset while the cuff is meant to be inflated, else when it is next inflated
/// (an empty cuff reads zero whether the sensor works or not); a failed pump,
/// the first moment after onset the pump is driven (at least 5% duty: by the controller, or by the
/// supervisor's probe, which pulses a pump not seen working for 0.3 s while the cuff is inflated);
/// a stuck valve, the first moment after onset it is told to open (at least 5%: controller, deflate,
/// or probe). With the probes the gap between onset and observable is at most 0.3 s whenever the
/// cuff is inflated, so the table also asserts detection within 0.5 s of the physical onset there.
/// During reperfusion (cuffs off) a failed pump is not probed and is seen at the next inflation.
/// A pump that runs but gives no air (<see cref="CuffFault.PumpNoFlow"/>: its current looks sound, so no probe
/// tells it) is observable once it has been driven at 25% duty or more with the valve closed for a whole judging
/// window (0.25 s, the supervisor's <see cref="SafetySupervisorOptions.ActuatorWindow"/>), or when it is found if
/// sooner: only a pump that is driven can be seen not to fill the cuff, and a quarter second of it is what a working
/// pump needs to show through the limb's motion and the pulse. An idle controller may not drive it for seconds, so it
/// has no onset bound. It is held to the same 0.5 s as every other fault.
/// </para>
/// </summary>
public class FaultDetectionTableTests(ITestOutputHelper output)
{
    public enum Phase { Inflating, Set, SetEnd, Rest, Holding, Reperfusion }

    private const double Budget = 0.5;

    // A fast leak during a set is also held to 0.5 s: there the supervisor compares the pressure change
    // the pump does not explain with the same moment of the rep before (or of the previous set's end); so is a pump
    // that runs but gives no air (its missing rise summed over the pumping, against the same motion or a still limb).

    private const double DeflateBudget = 1.0;

    // A pump that runs but gives no air can be seen once it is driven at 25% duty or more (a working pump then raises
    // a thigh cuff by 10 mmHg/s or more) with the valve closed, for a whole 0.25 s judging window.
    private const double NoFlowObservableDuty = 0.25;
    private const int NoFlowObservableTicks = 25;
    private const double NoFlowClosedBelow = 0.1; // the supervisor's valve probe (6%) lets out under 0.6 mmHg: still closed

    private static readonly CuffFault[] ActuatorAndSensorFaults =
        [CuffFault.SensorFreeze, CuffFault.SensorSpike, CuffFault.FastLeak, CuffFault.PumpFailure, CuffFault.ValveStuckClosed];

    private static readonly Phase[] InflatedPhases = [Phase.Inflating, Phase.Set, Phase.SetEnd, Phase.Rest, Phase.Holding];

    internal sealed record Row(
        string Limb, string Regulator, CuffFault Fault, Phase Phase, double OnsetS, double ObservableS,
        double? DetectedS, double? DeflatedS, FaultKind? Kind, string? Reason, double MaxOutOfBandS, double? WatchdogS)
    {
        public double? FromObservable => DetectedS - ObservableS;

        public double? FromOnset => DetectedS - OnsetS;

        public double? ToDeflated => DeflatedS - DetectedS;

        public override string ToString()
            => string.Create(CultureInfo.InvariantCulture,
                $"{Fault,-16} {Phase,-11} {Regulator,-9} {Limb,-22} onset {OnsetS,7:0.00} observable +{ObservableS - OnsetS,4:0.00} detected +{FromObservable,4:0.00} (from onset {FromOnset,4:0.00}) <20 mmHg +{ToDeflated,4:0.00} outOfBand {MaxOutOfBandS:0.00}{(WatchdogS is { } w ? $" watchdog +{w:0.00}" : "")} {Kind}: {Reason}");
    }

    /// <summary>A session (nominal two legs, or one population leg) with a fault injected in the cuff under test at the given phase.</summary>
    internal static Row Measure(CuffFault fault, Phase phase, bool closedLoop, SimulatedLimb? populationLimb = null, int seed = 1)
    {
        var protocol = phase == Phase.Holding ? ProtocolCatalog.WalkIntervals : ProtocolCatalog.StrengthLower;
        Func<IPressureRegulator> regulator = closedLoop ? () => new ClosedLoopRegulator() : () => new BangBangController();
        var rig = populationLimb is null
            ? new SimulatedSessionRig(protocol, [(Limb.LeftLeg, 200), (Limb.RightLeg, 230)], seed, regulator)
            : new SimulatedSessionRig(protocol.DoneIn(populationLimb.Position), [(Limb.RightLeg, populationLimb)], regulator);
        var cuff = rig.Simulators.Count - 1;
        var sim = rig.Simulators[cuff];
        var limbName = populationLimb is null ? "nominal 200/230" : string.Create(CultureInfo.InvariantCulture, $"pop LOP {populationLimb.TrueLopMmHg:0} {populationLimb.Position}");

        // Run to the phase and inject there.
        var sets = 0;
        var rests = 0;
        var last = SessionPhase.Ready;
        double? phaseStart = null;
        while (phaseStart is null)
        {
            rig.Step();
            var now = rig.Session.Phase;
            if (now != last)
            {
                if (now == SessionPhase.Set) sets++;
                if (now == SessionPhase.Rest) rests++;
                var hit = phase switch
                {
                    Phase.Inflating => now == SessionPhase.Inflating,
                    Phase.Set => now == SessionPhase.Set && sets == 1,
                    Phase.SetEnd => now == SessionPhase.Set && sets == 2,
                    Phase.Rest => now == SessionPhase.Rest && rests == 1,
                    Phase.Holding => now == SessionPhase.Work,
                    _ => now == SessionPhase.Reperfusion,
                };
                if (hit) phaseStart = rig.Seconds;
                last = now;
            }
            rig.Session.IsEnded.ShouldBeFalse("the session ended before the phase was reached");
        }
        var offset = phase switch
        {
            Phase.Inflating => 0.73,
            Phase.Set => 10.37,
            Phase.SetEnd => 28.93, // 15 reps of 2 s: the last eccentric phase, the muscle relaxing
            Phase.Rest => 7.31,
            Phase.Holding => 40.29,
            _ => 20.13,
        };
        while (rig.Seconds < phaseStart.Value + offset) rig.Step();
        var onset = rig.Seconds;
        sim.InjectFault(fault, sim.Now);
        if (fault == CuffFault.LostHost) return MeasureLostHost(rig, limbName, closedLoop, phase, onset);

        var inflatedAtOnset = rig.Session.TargetOf(cuff).MmHg > 0;
        var drivenTicks = 0;
        var reachedBand = false;
        double? observable = null, detected = null, deflated = null;
        double outOfBandSince = double.NaN, maxOutOfBand = 0;
        var limit = onset + (fault == CuffFault.SlowLeak ? 40 : phase == Phase.Reperfusion ? 60 : 10);
        while (rig.Seconds < limit && (deflated is null || rig.Seconds < deflated + 1))
        {
            rig.Step();
            var t = rig.Seconds;
            var target = rig.Session.TargetOf(cuff).MmHg;
            if (observable is null && detected is null)
            {
                var c = sim.HostCommand;
                drivenTicks = c.PumpDuty >= NoFlowObservableDuty && c.ValveOpening < NoFlowClosedBelow ? drivenTicks + 1 : 0;
                var seen = fault switch
                {
                    CuffFault.PumpFailure => c.PumpDuty >= 0.05,
                    // Air that does not come shows only while the pump is driven enough to move the cuff, longer than a probe pulse.
                    CuffFault.PumpNoFlow => drivenTicks >= NoFlowObservableTicks && target > 0,
                    CuffFault.ValveStuckClosed => c.ValveOpening >= 0.05,
                    // A leak, or a sensor frozen at zero, shows only on an inflated cuff.
                    CuffFault.SlowLeak or CuffFault.FastLeak or CuffFault.SensorFreeze => target > 0,
                    _ => true,
                };
                // The command after this tick is in force from now: the fault can be seen from now.
                if (seen) observable = fault is CuffFault.PumpFailure or CuffFault.PumpNoFlow or CuffFault.ValveStuckClosed || !inflatedAtOnset ? t : onset;
            }
            // Out of band counts from when the cuff was first in its band (inflating from zero is not out of band).
            if (target > 0 && Math.Abs(sim.TruePressureMmHg - target) <= 0.1 * target) reachedBand = true;
            if (detected is null && target > 0 && reachedBand)
            {
                var outOfBand = Math.Abs(sim.TruePressureMmHg - target) > 0.1 * target;
                if (outOfBand && double.IsNaN(outOfBandSince)) outOfBandSince = t;
                if (!outOfBand) outOfBandSince = double.NaN;
                if (!double.IsNaN(outOfBandSince)) maxOutOfBand = Math.Max(maxOutOfBand, t - outOfBandSince);
            }
            if (detected is null && rig.Session.Supervisor.Fault is { } f) detected = Seconds(rig, f.At);
            if (detected is not null && deflated is null && rig.Simulators.All(s => s.TruePressureMmHg < 20)) deflated = t;
        }
        var first = rig.Session.Supervisor.Fault;
        // Found before the test's own notion of observable was met: it was observable by then.
        if (fault == CuffFault.PumpNoFlow && observable is null) observable = detected;
        return new Row(limbName, closedLoop ? "openbfr" : "bang-bang", fault, phase, onset, observable ?? onset, detected, deflated,
            first?.Kind, first?.Reason, maxOutOfBand, null);
    }

    private static Row MeasureLostHost(SimulatedSessionRig rig, string limb, bool closedLoop, Phase phase, double onset)
    {
        // The host keeps ticking, but nothing reaches the device any more: the supervisor sees a
        // stale sensor, yet its deflate command cannot arrive; the device's watchdog must act.
        double? detected = null, deflated = null;
        var sim = rig.Simulators[^1];
        while (rig.Seconds < onset + 6 && (deflated is null || rig.Seconds < onset + 3))
        {
            rig.Step();
            if (detected is null && rig.Session.Supervisor.Fault is { } f) detected = Seconds(rig, f.At);
            if (deflated is null && sim.TruePressureMmHg < 20) deflated = rig.Seconds;
        }
        var trip = sim.DeviceEvents.FirstOrDefault(e => e.Kind == "watchdog-deflate");
        double? watchdog = trip.Kind is null ? null : Seconds(rig, trip.At) - onset;
        var first = rig.Session.Supervisor.Fault;
        return new Row(limb, closedLoop ? "openbfr" : "bang-bang", CuffFault.LostHost, phase, onset, onset, detected,
            deflated, first?.Kind, first?.Reason ?? trip.Reason, 0, watchdog);
    }

    private static double Seconds(SimulatedSessionRig rig, DateTimeOffset at) => (at - rig.Simulators[0].Now).TotalSeconds + rig.Seconds;

    /// <summary>Every check of one row; empty when it passes.</summary>
    internal static List<string> Check(Row r)
    {
        var problems = new List<string>();
        if (r.Fault == CuffFault.LostHost)
        {
            // The last heartbeat reached the device at the onset (the host's tick just before it).
            if (r.WatchdogS is not { } w || w > CuffSimulator.WatchdogTimeout.TotalSeconds + 0.011) problems.Add($"watchdog tripped at +{r.WatchdogS} s, not within 2 s of the last heartbeat");
            else if (r.DeflatedS is not { } d || d - r.OnsetS - w > DeflateBudget) problems.Add($"cuff not below 20 mmHg within 1 s of the watchdog trip (at +{r.DeflatedS - r.OnsetS} s)");
            return problems;
        }
        if (r.Fault == CuffFault.SlowLeak)
        {
            if (r.MaxOutOfBandS >= 2) problems.Add($"out of band for {r.MaxOutOfBandS:0.00} s before detection");
            if (r.DetectedS is not null && (r.ToDeflated is not { } sd || sd > DeflateBudget)) problems.Add($"not deflated within 1 s of detection ({r.ToDeflated})");
            return problems;
        }
        if (r.DetectedS is null)
        {
            problems.Add("never detected");
            return problems;
        }
        if (r.FromObservable > Budget) problems.Add($"detected {r.FromObservable:0.00} s after it became observable");
        // A pump that gives no air shows only when driven, which an idle controller may not do for a while (no probe can tell it).
        if (r.Phase != Phase.Reperfusion && r.Fault != CuffFault.PumpNoFlow && r.FromOnset > Budget) problems.Add($"detected {r.FromOnset:0.00} s after its onset while inflated");
        if (r.ToDeflated is not { } td || td > DeflateBudget) problems.Add($"not all cuffs below 20 mmHg within 1 s of detection ({r.ToDeflated})");
        if (string.IsNullOrWhiteSpace(r.Reason) || !r.Reason.StartsWith("right-leg:", StringComparison.Ordinal)) problems.Add($"reason not recorded for the faulty cuff: '{r.Reason}'");
        return problems;
    }

    private void Assert(IEnumerable<Row> rows)
    {
        var failures = new List<string>();
        foreach (var r in rows)
        {
            output.WriteLine(r.ToString());
            failures.AddRange(Check(r).Select(p => $"{r.Fault} {r.Phase} {r.Regulator} {r.Limb}: {p}"));
        }
        failures.ShouldBeEmpty();
    }

    public static TheoryData<CuffFault, bool> FaultsAndRegulators()
    {
        var data = new TheoryData<CuffFault, bool>();
        foreach (var fault in Enum.GetValues<CuffFault>())
        {
            data.Add(fault, true);
            data.Add(fault, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FaultsAndRegulators))]
    public void Fault_InEveryPhase_NominalLegs_DetectedInTimeAndDeflated(CuffFault fault, bool closedLoop)
        => Assert(Enum.GetValues<Phase>().Select(phase => Measure(fault, phase, closedLoop)));

    [Theory]
    [InlineData(CuffFault.PumpFailure)]
    [InlineData(CuffFault.PumpNoFlow)]
    [InlineData(CuffFault.ValveStuckClosed)]
    [InlineData(CuffFault.FastLeak)]
    [InlineData(CuffFault.SensorFreeze)]
    [InlineData(CuffFault.SensorSpike)]
    [InlineData(CuffFault.SlowLeak)]
    public void Fault_InEveryInflatedPhase_VariedLegs_DetectedInTimeAndDeflated(CuffFault fault)
    {
        var limbs = LimbPopulation.Create(6, 31);
        Assert(limbs.SelectMany(limb => InflatedPhases.Select(phase => Measure(fault, phase, closedLoop: true, limb))));
    }

    [Fact]
    public void FastLeak_DuringSetsAndRest_ThirtyVariedLegs_WithinHalfASecond()
    {
        var rows = LimbPopulation.Create(30, 501)
            .SelectMany(limb => new[] { Phase.Set, Phase.SetEnd, Phase.Rest }.Select(phase => Measure(CuffFault.FastLeak, phase, closedLoop: true, limb)))
            .ToList();
        foreach (var phase in new[] { Phase.Set, Phase.SetEnd, Phase.Rest })
        {
            var times = rows.Where(r => r.Phase == phase).Select(r => r.FromOnset ?? double.PositiveInfinity).Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{phase}: median {times[times.Count / 2]:0.00} s, worst {times[^1]:0.00} s, within 0.5 s {times.Count(t => t <= Budget)}/{times.Count}"));
        }
        Assert(rows);
        // The leaks the band finds late are told from the repeated motion (11 of 60 measured; the rest by the band first).
        rows.Count(r => r.Phase is Phase.Set or Phase.SetEnd && r.Reason!.Contains("same moment of the same motion", StringComparison.Ordinal))
            .ShouldBeGreaterThanOrEqualTo(10);
    }

    [Theory]
    [InlineData(501)]
    [InlineData(502)]
    public void PumpNoFlow_DuringSetsAndRest_ThirtyVariedLegs_EveryWithinHalfASecond(int seed)
    {
        // The pump's motor runs (normal current) but no air reaches the cuff: only the pressure can tell it.
        var phases = new[] { Phase.Set, Phase.SetEnd, Phase.Rest };
        var rows = LimbPopulation.Create(30, seed).SelectMany(limb => phases.Select(phase => Measure(CuffFault.PumpNoFlow, phase, closedLoop: true, limb))).ToList();
        foreach (var phase in phases)
        {
            var times = rows.Where(r => r.Phase == phase).Select(r => r.FromObservable ?? double.PositiveInfinity).Order().ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{phase}: median {times[times.Count / 2]:0.00} s, worst {times[^1]:0.00} s, within 0.5 s {times.Count(t => t <= Budget)}/{times.Count}"));
        }
        Assert(rows); // every row within 0.5 s of observable
        rows.ShouldAllBe(r => r.FromObservable <= Budget);
        // A cuff whose pump gives no air during a set also falls like a leak: either reason deflates it.
        rows.ShouldAllBe(r => r.Kind == FaultKind.PumpFailure || r.Kind == FaultKind.Leak);
        rows.Count(r => r.Kind == FaultKind.PumpFailure).ShouldBeGreaterThanOrEqualTo(80); // measured 88 of 90 (seed 501) and 86 (seed 502)
    }

    [Fact]
    public void PumpNoFlowOrFastLeak_FromTheFirstInflation_ReasonSaysWhatTheEvidenceTells()
    {
        // Present from the start: a cuff that stays empty under a working pump gets no air (a leak would let it rise), a
        // leaking one rises too slowly. Begun during the first inflation (about 40 mmHg, before this cuff's own rise is
        // learned): a cuff that has stopped filling may have a pump that gives no air or a leak as fast as the pump; the
        // reason names both. Measured on these 7 legs: every no-air start names the pump, every leak start a leak,
        // 7 of 7 no-air inflations say "stopped filling".
        var limbs = LimbPopulation.Create(6, 31).Prepend(SimulatedLimb.Leg(200, BodyPosition.Supine, 1)).ToList();
        var stoppedFilling = 0;
        foreach (var limb in limbs)
        {
            var noAir = FromStart(CuffFault.PumpNoFlow, limb);
            noAir.Kind.ShouldBe(FaultKind.PumpFailure, noAir.Reason);
            noAir.Reason.ShouldContain("pump");
            noAir.Reason.ShouldNotContain("air escapes");
            var leak = FromStart(CuffFault.FastLeak, limb);
            leak.Kind.ShouldBe(FaultKind.Leak, leak.Reason);
            leak.Reason.ShouldContain("air escapes");
            var row = Measure(CuffFault.PumpNoFlow, Phase.Inflating, closedLoop: true, limb);
            output.WriteLine($"{row.Kind}: {row.Reason}");
            row.Reason!.ShouldContain("pump");
            row.Kind.ShouldBeOneOf(FaultKind.PumpFailure, FaultKind.Leak); // which of the two cannot be told here
            if (row.Reason!.Contains("the cuff has stopped filling", StringComparison.Ordinal) && row.Reason.Contains("the pump gives no air", StringComparison.Ordinal)) stoppedFilling++;
        }
        stoppedFilling.ShouldBeGreaterThanOrEqualTo(6);

        static SafetyFault FromStart(CuffFault fault, SimulatedLimb limb)
        {
            var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower.DoneIn(limb.Position), [(Limb.RightLeg, limb)], () => new ClosedLoopRegulator());
            rig.Simulators[0].InjectFault(fault, rig.Simulators[0].Now);
            while (rig.Session.Supervisor.Fault is null && rig.Seconds < 10) rig.Step();
            return rig.Session.Supervisor.Fault.ShouldNotBeNull();
        }
    }
}
