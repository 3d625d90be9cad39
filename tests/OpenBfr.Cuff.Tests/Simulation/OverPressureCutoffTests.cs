using OpenBfr.Core.Limbs;
using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Tests.Simulation;

/// <summary>
/// The device's own over-pressure cut-off: whatever the host does (keeps pumping with the valve
/// shut and the heartbeat going, runs a controller behind a frozen sensor, sends random commands),
/// the true cuff pressure stays at the absolute cap, and the cuff is dumped.
/// </summary>
public class OverPressureCutoffTests
{
    private static readonly TimeSpan Physics = TimeSpan.FromMilliseconds(1);

    // How far past the cap the true pressure may get before the dump valve and the stopping pump
    // (spin-down 0.03 s) take over, checked every 1 ms physics step: measured 0.003–0.36 mmHg on these cuffs.
    private const double OvershootMmHg = 1;

    private static double Cap => SafetyLimits.AbsoluteCap.MmHg;

    public static TheoryData<string> Cuffs => ["thigh", "arm", "thigh-fast-pump", "arm-small-stiff-bladder", "thigh-standing"];

    private static SimulatedLimb Limb(string name) => name switch
    {
        "thigh" => SimulatedLimb.Leg(200, seed: 1),
        "arm" => SimulatedLimb.Arm(150, seed: 2),
        // The fastest pump the simulator allows on a small cuff: the hardest case for overshoot.
        "thigh-fast-pump" => SimulatedLimb.Leg(250, seed: 3) with { PumpFlowMlPerS = 600, PumpStallMmHg = 900 },
        "arm-small-stiff-bladder" => SimulatedLimb.Arm(120, seed: 4) with { BladderSlackVolumeMl = 40, BladderComplianceMlPerMmHg = 0.5, BladderStiffeningMmHg = 20 },
        "thigh-standing" => SimulatedLimb.Leg(280, BodyPosition.Standing, seed: 5),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown cuff"),
    };

    /// <summary>Runs with the heartbeat kept, 1 ms at a time; returns the highest true pressure seen.</summary>
    private static double Run(CuffSimulator sim, TimeSpan duration, Action<CuffSimulator>? each = null)
    {
        var peak = sim.TruePressureMmHg;
        var end = sim.Elapsed + duration;
        while (sim.Elapsed < end)
        {
            sim.Heartbeat();
            each?.Invoke(sim);
            sim.Advance(Physics);
            peak = Math.Max(peak, sim.TruePressureMmHg);
        }
        return peak;
    }

    [Theory]
    [MemberData(nameof(Cuffs))]
    public void HostKeepsPumping_ValveShutHeartbeatKept_DeviceCutsOffAtTheCapAndDumps(string cuff)
    {
        var sim = new CuffSimulator(Limb(cuff));
        sim.Limb.PumpStallMmHg.ShouldBeGreaterThan(Cap + 100, "the pump alone would go far past the cap");
        sim.Command(new ActuatorCommand(1, 0));
        TimeSpan? trippedAt = null;
        var oneSecondLater = double.NaN;
        var peak = Run(sim, TimeSpan.FromSeconds(60), s =>
        {
            if (trippedAt is null && s.OverPressureTripped) trippedAt = s.Elapsed;
            if (trippedAt is { } t && double.IsNaN(oneSecondLater) && s.Elapsed >= t + TimeSpan.FromSeconds(1)) oneSecondLater = s.TruePressureMmHg;
        });

        sim.OverPressureTripped.ShouldBeTrue();
        sim.WatchdogTripped.ShouldBeFalse();
        peak.ShouldBeGreaterThan(Cap - 1);
        peak.ShouldBeLessThanOrEqualTo(Cap + OvershootMmHg);
        var trip = sim.DeviceEvents.Single(e => e.Kind == "overpressure-deflate");
        trip.Reason.ShouldContain("above the absolute cap of 300 mmHg");
        sim.AppliedCommand.ShouldBe(ActuatorCommand.Deflate);
        sim.HostCommand.PumpDuty.ShouldBe(1);
        // Below 20 mmHg within 1 s of the trip (the fault acceptance's deflation bound), and it stays there.
        oneSecondLater.ShouldBeLessThan(20);
        sim.TruePressureMmHg.ShouldBeLessThan(20);
    }

    [Fact]
    public void Tripped_HostKeepsCommanding_StaysDeflatedUntilRearmed()
    {
        var sim = new CuffSimulator(Limb("thigh"));
        sim.Command(new ActuatorCommand(1, 0));
        Run(sim, TimeSpan.FromSeconds(30));
        sim.OverPressureTripped.ShouldBeTrue();

        // Latched: the host's pump command does nothing.
        Run(sim, TimeSpan.FromSeconds(5)).ShouldBeLessThan(Cap + OvershootMmHg);
        sim.TruePressureMmHg.ShouldBeLessThan(20);

        // Re-armed (a deliberate act, e.g. a new session), the host can inflate again, and the cut-off trips again at the cap.
        sim.Rearm();
        sim.OverPressureTripped.ShouldBeFalse();
        sim.Command(new ActuatorCommand(1, 0));
        Run(sim, TimeSpan.FromSeconds(3));
        sim.TruePressureMmHg.ShouldBeGreaterThan(100);
        Run(sim, TimeSpan.FromSeconds(30)).ShouldBeLessThanOrEqualTo(Cap + OvershootMmHg);
        sim.DeviceEvents.Count(e => e.Kind == "overpressure-deflate").ShouldBe(2);
    }

    [Fact]
    public void FrozenSensor_BangBangHostWithoutSupervisor_DeviceStopsItAtTheCap()
    {
        // The host's sensor freezes at about 100 mmHg on the way to 250: an on/off controller with
        // no supervisor sees "below target" for ever and keeps pumping.
        var sim = new CuffSimulator(Limb("thigh"));
        var host = new BangBangController();
        var target = Pressure.FromMmHg(250);
        var frozen = false;
        var peak = Run(sim, TimeSpan.FromSeconds(60), s =>
        {
            if (!frozen && s.TruePressureMmHg > 100)
            {
                s.InjectFault(CuffFault.SensorFreeze, TimeSpan.Zero);
                frozen = true;
            }
            if (s.TryReadPressure(out var reading)) s.Command(host.Update(reading, target, SafetyLimits.AbsoluteCap));
        });

        sim.ActiveFaults.ShouldContain(CuffFault.SensorFreeze);
        sim.TryReadPressure(out var last).ShouldBeTrue();
        last.PressureMmHg.ShouldBeLessThan(110, "the host still sees the frozen value");
        sim.OverPressureTripped.ShouldBeTrue();
        peak.ShouldBeLessThanOrEqualTo(Cap + OvershootMmHg);
        sim.TruePressureMmHg.ShouldBeLessThan(20);
    }

    [Fact]
    public void SpikingHostSensor_CuffHeldAt200_DeviceDoesNotTrip()
    {
        // The host's sensor spikes by 120–260 mmHg; the device's own transducer does not.
        var sim = new CuffSimulator(Limb("thigh"));
        sim.Command(new ActuatorCommand(1, 0));
        Run(sim, TimeSpan.FromSeconds(20), s => { if (s.TruePressureMmHg >= 200) s.Command(ActuatorCommand.Hold); });
        sim.InjectFault(CuffFault.SensorSpike, TimeSpan.Zero);
        var highestReading = 0.0;
        Run(sim, TimeSpan.FromSeconds(10), s => { if (s.TryReadPressure(out var r)) highestReading = Math.Max(highestReading, r.PressureMmHg); });

        highestReading.ShouldBeGreaterThan(Cap, "the spikes are there");
        sim.OverPressureTripped.ShouldBeFalse();
        sim.DeviceEvents.ShouldNotContain(e => e.Kind == "overpressure-deflate");
        sim.TruePressureMmHg.ShouldBeGreaterThan(180);
    }

    [Fact]
    public void ValveStuckClosed_HostPumps_DumpValveStillEmptiesTheCuff()
    {
        var sim = new CuffSimulator(Limb("thigh"));
        sim.InjectFault(CuffFault.ValveStuckClosed, TimeSpan.Zero);
        sim.Command(new ActuatorCommand(1, 0));
        var peak = Run(sim, TimeSpan.FromSeconds(60));

        sim.OverPressureTripped.ShouldBeTrue();
        peak.ShouldBeLessThanOrEqualTo(Cap + OvershootMmHg);
        sim.TruePressureMmHg.ShouldBeLessThan(20);
    }

    [Fact]
    public void RandomHostCommands_ManyLimbs_TruePressureNeverPassesTheCap()
    {
        // Seeded fuzz of the host: a new pump duty and valve opening every 20–500 ms (often flat out
        // and shut), heartbeat kept, 120 s per limb, re-arming after a trip now and then.
        var trips = 0;
        var overall = 0.0;
        for (var seed = 1; seed <= 12; seed++)
        {
            var random = new Random(seed);
            var position = (BodyPosition)(seed % 3);
            var limb = seed % 2 == 0
                ? SimulatedLimb.Leg(100 + 15 * seed, position, seed)
                : SimulatedLimb.Arm(90 + 10 * seed, position, seed) with { PumpFlowMlPerS = 60 + 20 * seed };
            var sim = new CuffSimulator(limb);
            var next = TimeSpan.Zero;
            var peak = Run(sim, TimeSpan.FromSeconds(120), s =>
            {
                if (s.Elapsed < next) return;
                next = s.Elapsed + TimeSpan.FromMilliseconds(random.Next(20, 500));
                var flatOut = random.NextDouble() < 0.6;
                s.Command(flatOut ? new ActuatorCommand(1, 0) : new ActuatorCommand(random.NextDouble(), 0.3 * random.NextDouble()));
                if (s.OverPressureTripped && random.NextDouble() < 0.05) s.Rearm();
            });
            trips += sim.DeviceEvents.Count(e => e.Kind == "overpressure-deflate");
            overall = Math.Max(overall, peak);
        }

        trips.ShouldBeGreaterThan(12, "the fuzz must drive cuffs into the cut-off, and re-armed ones into it again");
        overall.ShouldBeLessThanOrEqualTo(Cap + OvershootMmHg);
    }
}
