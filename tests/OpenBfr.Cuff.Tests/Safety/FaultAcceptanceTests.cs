using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Safety;
using OpenBfr.Cuff.Session;
using OpenBfr.Cuff.Simulation;
using Xunit.Abstractions;

namespace OpenBfr.Cuff.Tests.Safety;

/// <summary>
/// Issue 3 acceptance on the simulator: every injected fault is detected within 0.5 s of its
/// onset (a slow leak: before pressure has been out of the ±10% band for 2 s) and every cuff of
/// the session is below 20 mmHg (true pressure) within 1 s of detection, with the reason
/// recorded; a lost host is handled by the device's own watchdog.
/// </summary>
public class FaultAcceptanceTests(ITestOutputHelper output)
{
    // OnsetS: when the fault becomes observable: its onset, or for a pump or valve fault the first time after it that the pump or valve is asked to act.
    private sealed record Outcome(double OnsetS, double? DetectedS, double? BothDeflatedS, string? Reason, double MaxOutOfBandS, SimulatedSessionRig Rig);

    private Outcome Run(CuffFault fault, double onsetS, int seed, Func<IPressureRegulator>? regulator = null)
    {
        var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower, [(Limb.LeftLeg, 200), (Limb.RightLeg, 230)], seed,
            regulator ?? (() => new BangBangController()));
        var events = new List<SessionEvent>();
        var sink = new Recorder(events);
        rig.Session.Subscribe(sink);
        rig.Simulators[1].InjectFault(fault, TimeSpan.FromSeconds(onsetS));
        double? detected = null, deflated = null, actuated = null;
        double outOfBandSince = double.NaN, maxOutOfBand = 0;
        var right = rig.Simulators[1];
        while (rig.Seconds < onsetS + 40 && (deflated is null || rig.Seconds < deflated + 4))
        {
            rig.Step();
            var t = rig.Seconds;
            if (actuated is null && t >= onsetS && detected is null)
            {
                var c = right.HostCommand;
                var asked = fault switch
                {
                    CuffFault.PumpFailure => c.PumpDuty >= 0.25,
                    CuffFault.ValveStuckClosed => c.ValveOpening >= 0.2,
                    _ => true,
                };
                if (asked) actuated = t;
            }
            var target = rig.Session.TargetOf(1).MmHg;
            if (detected is null && t >= onsetS && target > 0)
            {
                var outOfBand = Math.Abs(right.TruePressureMmHg - target) > 0.1 * target;
                if (outOfBand && double.IsNaN(outOfBandSince)) outOfBandSince = t;
                if (!outOfBand) outOfBandSince = double.NaN;
                if (!double.IsNaN(outOfBandSince)) maxOutOfBand = Math.Max(maxOutOfBand, t - outOfBandSince);
            }
            if (detected is null && rig.Session.Supervisor.Fault is { } f) detected = (f.At - rig.Simulators[0].Now).TotalSeconds + t;
            if (detected is not null && deflated is null && rig.Simulators.All(s => s.TruePressureMmHg < 20)) deflated = t;
        }
        var reason = rig.Session.Supervisor.Fault?.Reason;
        var observable = actuated ?? onsetS;
        output.WriteLine($"{fault} seed {seed}: onset {onsetS}, observable {observable:0.00}, detected {detected:0.00}, deflated {deflated:0.00}, max out of band {maxOutOfBand:0.00} s; {rig.Session.Supervisor.Fault?.Kind}: {reason}");
        return new Outcome(observable, detected, deflated, reason, maxOutOfBand, rig);
    }

    public static TheoryData<CuffFault, double, int> Cases()
    {
        var data = new TheoryData<CuffFault, double, int>();
        foreach (var fault in new[] { CuffFault.SensorFreeze, CuffFault.SensorSpike, CuffFault.FastLeak })
        {
            data.Add(fault, 30.3, 1); // during set 1
            data.Add(fault, 75.7, 2); // during the rest after set 1
        }
        data.Add(CuffFault.PumpFailure, 75.7, 2); // at rest: from the first time the pump is asked to run
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fault_Injected_DetectedWithinHalfASecondAndBothCuffsBelow20WithinOneSecond(CuffFault fault, double onsetS, int seed)
    {
        var o = Run(fault, onsetS, seed);
        o.DetectedS.ShouldNotBeNull($"{fault} was never detected");
        (o.DetectedS!.Value - o.OnsetS).ShouldBeLessThanOrEqualTo(0.5);
        o.BothDeflatedS.ShouldNotBeNull();
        (o.BothDeflatedS!.Value - o.DetectedS.Value).ShouldBeLessThanOrEqualTo(1.0);
        o.Reason.ShouldNotBeNullOrWhiteSpace();
        o.Reason!.ShouldStartWith("right-leg:");
        o.Rig.Session.IsFinished.ShouldBeTrue();
    }

    [Fact]
    public void PumpFailure_DuringASet_DetectedWithinHalfASecondFromItsCurrent()
    {
        // During a set a relaxing muscle can cancel a working pump's rise, so the pressure alone
        // cannot tell a dead pump in time; its motor current can (actuator feedback), within two
        // samples of the first drive, and the supervisor's probe drives an idle pump every 0.3 s.
        var o = Run(CuffFault.PumpFailure, 30.3, 1);
        o.DetectedS.ShouldNotBeNull();
        (o.DetectedS!.Value - o.OnsetS).ShouldBeLessThanOrEqualTo(0.5);
        (o.DetectedS.Value - 30.3).ShouldBeLessThanOrEqualTo(0.5);
        o.MaxOutOfBandS.ShouldBeLessThanOrEqualTo(0.5);
        (o.BothDeflatedS!.Value - o.DetectedS.Value).ShouldBeLessThanOrEqualTo(1.0);
        o.Rig.Session.Supervisor.Fault!.Kind.ShouldBe(FaultKind.PumpFailure);
        o.Rig.Session.Supervisor.Fault.Reason.ShouldContain("current");
    }

    [Theory]
    [InlineData(30.3, 1)]
    [InlineData(75.7, 2)]
    public void ValveStuckClosed_WhenTheControllerVents_DetectedWithinHalfASecondAndDeflatedByTheDumpValve(double onsetS, int seed)
    {
        // A regulator that vents hard (50%) when above its band; a stuck regulating valve then
        // cannot bring the pressure down. The device's separate dump valve still deflates.
        var o = Run(CuffFault.ValveStuckClosed, onsetS, seed, () => new BangBangController(3, 0.5));
        o.DetectedS.ShouldNotBeNull();
        (o.DetectedS!.Value - o.OnsetS).ShouldBeLessThanOrEqualTo(0.5);
        (o.BothDeflatedS!.Value - o.DetectedS.Value).ShouldBeLessThanOrEqualTo(1.0);
        o.Rig.Session.Supervisor.Fault!.Kind.ShouldBe(FaultKind.ValveStuck);
    }

    [Theory]
    [InlineData(30.3, 3)]
    [InlineData(75.7, 4)]
    public void SlowLeak_Injected_DetectedBeforeTwoSecondsOutOfBand(double onsetS, int seed)
    {
        var o = Run(CuffFault.SlowLeak, onsetS, seed);
        // Either the controller keeps up with the leak (the cuff never leaves the band for 2 s)
        // or the supervisor deflates before it has.
        o.MaxOutOfBandS.ShouldBeLessThan(2);
        if (o.DetectedS is { } detected)
        {
            (o.BothDeflatedS!.Value - detected).ShouldBeLessThanOrEqualTo(1.0);
        }
    }

    [Fact]
    public void LostHost_DeviceWatchdogDeflatesWithinTwoSecondsOfTheLastHeartbeat()
    {
        var rig = new SimulatedSessionRig(ProtocolCatalog.StrengthLower, [(Limb.LeftLeg, 200), (Limb.RightLeg, 230)], 5, () => new BangBangController());
        while (rig.Seconds < 40) rig.Step();
        rig.Simulators.ShouldAllBe(s => s.TruePressureMmHg > 100);
        var lastHeartbeat = rig.Seconds;
        // The host (app, phone, network) goes quiet: no more ticks, no heartbeats, no commands.
        // The watchdog trips 2 s after the last heartbeat and, like every fault, must have the
        // cuff below 20 mmHg within 1 s of that detection: so look 3 s after the last heartbeat.
        while (rig.Seconds < lastHeartbeat + 3) rig.StepWithoutHost();
        foreach (var sim in rig.Simulators)
        {
            sim.WatchdogTripped.ShouldBeTrue();
            var trip = sim.DeviceEvents.Single(e => e.Kind == "watchdog-deflate");
            (trip.At - rig.Clock.GetUtcNow()).TotalSeconds.ShouldBe(lastHeartbeat + 2 - rig.Seconds, 0.011);
            trip.Reason.ShouldContain("no heartbeat");
            sim.TruePressureMmHg.ShouldBeLessThan(20);
        }
    }

    private sealed class Recorder(List<SessionEvent> events) : ISessionObserver
    {
        public void OnEvent(SessionEvent sessionEvent) => events.Add(sessionEvent);

        public void OnSample(PressureSample sample) { }
    }
}
