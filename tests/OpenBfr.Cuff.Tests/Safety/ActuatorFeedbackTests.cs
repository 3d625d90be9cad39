using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Safety;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Tests.Safety;

/// <summary>
/// The supervisor's actuator-feedback checks on synthetic feedback (no physics): a pump that draws
/// no current when told to run, current when told to stop, or stall current; a valve whose position
/// disagrees with its command; feedback that is missing, stale or implausible; and the probe pulses
/// that bound how long a failed pump or valve can go unseen.
/// </summary>
public class ActuatorFeedbackTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Pressure Target = Pressure.FromMmHg(140);
    private const double Dt = 0.01;

    private static SafetySupervisor Supervisor()
        => new([new SupervisedCuff("a", Pressure.FromMmHg(200), Pressure.FromMmHg(160), InflationKind.Exercise)]);

    /// <summary>A device whose pump and valve do what they are told unless the test says otherwise.</summary>
    private sealed class Device
    {
        public ActuatorCommand Applied { get; set; } = ActuatorCommand.Hold;

        public Func<ActuatorCommand, double> Current { get; set; } = c => c.PumpDuty * 1.2;

        public Func<ActuatorCommand, double> Position { get; set; } = c => c.ValveOpening;
    }

    /// <summary>
    /// 100 Hz ticks: a live reading near 140 mmHg, the device's feedback for the command in force, the
    /// command <paramref name="command"/>(t) through the filter. Returns the first fault, when, and every applied command.
    /// </summary>
    private static (SafetyFault? Fault, double At, List<ActuatorCommand> Applied) Run(
        SafetySupervisor s, Device device, double seconds, Func<double, ActuatorCommand> command, Func<double, bool>? hasFeedback = null)
    {
        var applied = new List<ActuatorCommand>();
        for (var i = 0; i <= (int)Math.Round(seconds / Dt); i++)
        {
            var t = i * Dt;
            var now = T0 + TimeSpan.FromSeconds(t);
            var p = 140 + 0.4 * Math.Sin(2 * Math.PI * 1.2 * t);
            var f = s.Observe("a", true, new PressureReading(p, now), Target, now);
            var has = hasFeedback?.Invoke(t) ?? true;
            f ??= s.ObserveActuators("a", has, new ActuatorFeedback(device.Current(device.Applied), device.Position(device.Applied), now), now);
            device.Applied = s.Filter("a", command(t));
            applied.Add(device.Applied);
            if (f is not null) return (f, t, applied);
        }
        return (null, double.NaN, applied);
    }

    [Fact]
    public void ObserveActuators_HealthyPumpAndValve_NoFault()
    {
        var (fault, _, _) = Run(Supervisor(), new Device(), 30, t => ((int)(t / 0.7) % 3) switch
        {
            0 => new ActuatorCommand(0.3 + 0.2 * Math.Sin(t), 0),
            1 => new ActuatorCommand(0, 0.1),
            _ => ActuatorCommand.Hold,
        });
        fault.ShouldBeNull();
    }

    [Fact]
    public void ObserveActuators_PumpDrawsNoCurrentWhenDriven_PumpFailureWithinTwoSamples()
    {
        var device = new Device { Current = _ => 0.003 };
        var (fault, at, _) = Run(Supervisor(), device, 5, t => t < 1 ? ActuatorCommand.Hold : new ActuatorCommand(0.3, 0));
        fault!.Kind.ShouldBe(FaultKind.PumpFailure);
        // Any drive before 1 s is a probe; from 1 s the controller drives it: two samples later, at the latest.
        at.ShouldBeLessThanOrEqualTo(1.03);
        fault.Reason.ShouldContain("motor or driver failed");
    }

    [Fact]
    public void ObserveActuators_PumpDrawsCurrentWhenOff_PumpFailure()
    {
        var device = new Device { Current = _ => 0.6 };
        var (fault, at, _) = Run(Supervisor(), device, 2, _ => new ActuatorCommand(0, 0.1));
        fault!.Kind.ShouldBe(FaultKind.PumpFailure);
        fault.Reason.ShouldContain("stuck on");
        at.ShouldBeLessThanOrEqualTo(0.06);
    }

    [Fact]
    public void ObserveActuators_StallCurrent_PumpFailure()
    {
        var device = new Device { Current = c => c.PumpDuty > 0 ? 3.2 : 0 };
        var (fault, _, _) = Run(Supervisor(), device, 2, _ => new ActuatorCommand(0.8, 0));
        fault!.Kind.ShouldBe(FaultKind.PumpFailure);
        fault.Reason.ShouldContain("rotor locked");
    }

    [Fact]
    public void ObserveActuators_ValveReadsClosedWhenTold_ValveStuckWithinTwoSamples()
    {
        var device = new Device { Position = _ => 0 };
        var (fault, at, _) = Run(Supervisor(), device, 3, t => t < 0.2 ? ActuatorCommand.Hold : new ActuatorCommand(0, 0.4));
        fault!.Kind.ShouldBe(FaultKind.ValveStuck);
        fault.Reason.ShouldContain("stuck closed");
        at.ShouldBeLessThanOrEqualTo(0.23);
    }

    [Fact]
    public void ObserveActuators_ValveReadsOpenWhenClosed_ValveStuckOpen()
    {
        var device = new Device { Position = _ => 0.7 };
        var (fault, _, _) = Run(Supervisor(), device, 2, _ => new ActuatorCommand(0.2, 0));
        fault!.Kind.ShouldBe(FaultKind.ValveStuck);
        fault.Reason.ShouldContain("stuck open");
    }

    [Fact]
    public void ObserveActuators_NoFeedback_FaultsAfterStaleLimit()
    {
        var (fault, at, _) = Run(Supervisor(), new Device(), 3, _ => ActuatorCommand.Hold, t => t < 1);
        fault!.Kind.ShouldBe(FaultKind.ActuatorFeedback);
        (at - 1).ShouldBeInRange(0.24, 0.27);
        fault.Reason.ShouldContain("no actuator feedback");
    }

    [Theory]
    [InlineData(double.NaN, 0)]
    [InlineData(-3, 0)]
    [InlineData(0.2, 1.6)]
    [InlineData(50, 0.5)]
    public void ObserveActuators_ImplausibleFeedback_Faults(double current, double position)
    {
        var device = new Device { Current = _ => current, Position = _ => position };
        var (fault, at, _) = Run(Supervisor(), device, 1, _ => ActuatorCommand.Hold);
        fault!.Kind.ShouldBe(FaultKind.ActuatorFeedback);
        at.ShouldBe(0);
        fault.Reason.ShouldContain("implausible");
    }

    [Fact]
    public void Filter_PumpAndValveIdle_ProbedEveryThreeTenthsOfASecondForTwoSamples()
    {
        var (fault, _, applied) = Run(Supervisor(), new Device(), 3, _ => ActuatorCommand.Hold);
        fault.ShouldBeNull();
        var pumpOn = applied.Select((c, i) => (c, i)).Where(x => x.c.PumpDuty > 0).Select(x => x.i).ToList();
        var valveOpen = applied.Select((c, i) => (c, i)).Where(x => x.c.ValveOpening > 0).Select(x => x.i).ToList();
        // Probes of 2 ticks, at most 0.3 s apart plus the two ticks that prove the actuator.
        pumpOn.Count.ShouldBeInRange(14, 22);
        valveOpen.Count.ShouldBeInRange(14, 22);
        applied.Max(c => c.PumpDuty).ShouldBeLessThanOrEqualTo(0.2);
        applied.Max(c => c.ValveOpening).ShouldBeLessThanOrEqualTo(0.06);
        var gaps = pumpOn.Zip(pumpOn.Skip(1), (a, b) => b - a).Where(g => g > 1).ToList();
        gaps.ShouldAllBe(g => g <= 32);
    }

    [Fact]
    public void Filter_FullDeflate_NeverProbed()
    {
        var (_, _, applied) = Run(Supervisor(), new Device(), 3, _ => ActuatorCommand.Deflate);
        applied.ShouldAllBe(c => c == ActuatorCommand.Deflate);
    }

    [Fact]
    public void Filter_AtTheCeiling_PumpNeverProbed()
    {
        var s = Supervisor();
        var device = new Device();
        for (var i = 0; i < 200; i++)
        {
            var now = T0 + TimeSpan.FromSeconds(i * Dt);
            s.Observe("a", true, new PressureReading(158 + 0.3 * Math.Sin(i), now), Target, now);
            s.ObserveActuators("a", true, new ActuatorFeedback(device.Current(device.Applied), device.Position(device.Applied), now), now);
            device.Applied = s.Filter("a", ActuatorCommand.Hold);
            device.Applied.PumpDuty.ShouldBe(0);
        }
    }

    [Fact]
    public void Filter_DeadPumpWhileIdle_FoundByTheProbeWithinABoundedTime()
    {
        // The controller never drives the pump; it fails at 1 s: a probe finds it within 0.3 s + 2 samples.
        var device = new Device();
        var s = Supervisor();
        SafetyFault? fault = null;
        double at = double.NaN;
        for (var i = 0; i <= 300 && fault is null; i++)
        {
            var t = i * Dt;
            var now = T0 + TimeSpan.FromSeconds(t);
            if (t >= 1) device.Current = _ => 0;
            fault = s.Observe("a", true, new PressureReading(140 + 0.4 * Math.Sin(7 * t), now), Target, now)
                    ?? s.ObserveActuators("a", true, new ActuatorFeedback(device.Current(device.Applied), device.Position(device.Applied), now), now);
            device.Applied = s.Filter("a", ActuatorCommand.Hold);
            at = t;
        }
        fault!.Kind.ShouldBe(FaultKind.PumpFailure);
        (at - 1).ShouldBeLessThanOrEqualTo(0.3 + 3 * Dt);
    }

    /// <summary>A quiet cuff (no pulse to speak of) read by a 0.5 mmHg sensor; pump and valve move it. Returns the first fault and when.</summary>
    private static (SafetyFault? Fault, double At) QuietCuff(double seconds, bool frozenFrom1s)
    {
        var s = Supervisor();
        var device = new Device();
        var p = 71.1;
        for (var i = 0; i <= (int)Math.Round(seconds / Dt); i++)
        {
            var t = i * Dt;
            var now = T0 + TimeSpan.FromSeconds(t);
            // What the command in force did over the last 10 ms (an arm cuff: 40 mmHg/s per unit pump, 12 %/s per unit valve).
            p += (device.Applied.PumpDuty * 40 - device.Applied.ValveOpening * 0.12 * p * 10) * Dt;
            var reading = frozenFrom1s && t >= 1 ? 71 : Math.Round(p * 2, MidpointRounding.AwayFromZero) / 2;
            var f = s.Observe("a", true, new PressureReading(reading, now), Pressure.FromMmHg(71), now)
                    ?? s.ObserveActuators("a", true, new ActuatorFeedback(device.Current(device.Applied), device.Position(device.Applied), now), now);
            device.Applied = s.Filter("a", ActuatorCommand.Hold);
            if (f is not null) return (f, t);
        }
        return (null, double.NaN);
    }

    [Fact]
    public void Observe_QuietCuffOnACoarseSensor_DitherShowsItIsLive()
    {
        // The controller holds; the reading sits in one 0.5 mmHg step unless something moves the
        // pressure. The supervisor's dither does, so the sensor is not taken for frozen.
        var (fault, _) = QuietCuff(60, frozenFrom1s: false);
        fault.ShouldBeNull();
    }

    [Fact]
    public void Observe_FrozenSensorOnAnIdleCuff_FoundWithinHalfASecond()
    {
        var (fault, at) = QuietCuff(5, frozenFrom1s: true);
        fault!.Kind.ShouldBe(FaultKind.SensorFrozen);
        (at - 1).ShouldBeLessThanOrEqualTo(0.5);
    }
}
