using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Safety;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Tests.Safety;

/// <summary>
/// The supervisor's detectors on synthetic sensor traces (no physics): each fault is found, in
/// time, with its reason, and a healthy noisy trace with pulse and contractions trips nothing.
/// </summary>
public class SafetySupervisorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Pressure Lop = Pressure.FromMmHg(200);
    private static readonly Pressure Target = Pressure.FromMmHg(140);
    private static readonly Pressure Ceiling = Pressure.FromMmHg(160);
    private const double Dt = 0.01;

    private static SafetySupervisor Supervisor(SafetySupervisorOptions? options = null, InflationKind kind = InflationKind.Exercise, params string[] ids)
        => new((ids.Length == 0 ? ["a"] : ids).Select(id => new SupervisedCuff(id, Lop, Ceiling, kind)), options);

    /// <summary>
    /// Feeds 100 Hz readings p(t) for <paramref name="seconds"/>, commanding <paramref name="command"/>(t)
    /// through the filter, and returns the first fault and when it came.
    /// </summary>
    private static (SafetyFault? Fault, double At) Run(SafetySupervisor s, double seconds, Func<double, double?> pressure,
        Func<double, ActuatorCommand> command, Func<double, Pressure>? target = null, double from = 0, string id = "a", bool physical = true)
    {
        var n = (int)Math.Round(seconds / Dt);
        double? last = null;
        for (var i = 0; i <= n; i++)
        {
            var t = from + i * Dt;
            var now = T0 + TimeSpan.FromSeconds(t);
            var p = pressure(t);
            // Step changes in a trace become physical ramps (at most 500 mmHg/s) unless the test wants a spike.
            if (physical && p is { } v && last is { } l && double.IsFinite(v)) p = l + Math.Clamp(v - l, -500 * Dt, 500 * Dt);
            if (p is not null) last = p;
            var f = s.Observe(id, p is not null, new PressureReading(p ?? 0, now), (target ?? (_ => Target))(t), now);
            s.Filter(id, command(t));
            if (f is not null) return (f, t);
        }
        return (null, double.NaN);
    }

    private static ActuatorCommand HoldCommand(double t) => ActuatorCommand.Hold;

    /// <summary>A level with the small pulse every inflated cuff shows (a frozen sensor shows none).</summary>
    private static double Live(double mmHg, double t) => mmHg + 0.4 * Math.Sin(2 * Math.PI * 1.2 * t);

    /// <summary>A healthy held cuff: 140 mmHg, 2 mmHg pulse at 70/min, sensor noise 0.3, 0.1 quantisation.</summary>
    private static Func<double, double?> Healthy(int seed, double baseMmHg = 140)
    {
        var random = new Random(seed);
        return t => Math.Round((baseMmHg + 2 * Math.Sin(2 * Math.PI * 70 / 60 * t) + 0.3 * (random.NextDouble() - 0.5) * 3.4) * 10) / 10;
    }

    [Fact]
    public void Observe_HealthyHoldWithPulseAndContractions_NoFault()
    {
        var s = Supervisor();
        var healthy = Healthy(1);
        // Contractions: every 2 s a 1 s bump of +40 mmHg (above the ceiling band, under LOP), the controller bleeding a little.
        var (fault, _) = Run(s, 240, t => healthy(t) + (t % 2 < 1 ? 40 * Math.Sin(Math.PI * (t % 2)) : 0),
            t => t % 2 < 1 ? new ActuatorCommand(0, 0.02) : new ActuatorCommand(0.1, 0));
        fault.ShouldBeNull();
        s.IsTripped.ShouldBeFalse();
    }

    [Fact]
    public void Observe_InflatingFromZero_NoFault()
    {
        var s = Supervisor();
        var noise = Healthy(2, 0);
        // Pump at full raises 60 mmHg/s to the target, then holds.
        var (fault, _) = Run(s, 10, t => Math.Max(0, Math.Min(60 * t, 140)) + (noise(t) ?? 0),
            t => t < 140.0 / 60 ? new ActuatorCommand(1, 0) : ActuatorCommand.Hold);
        fault.ShouldBeNull();
    }

    [Fact]
    public void Observe_ReadingAboveAbsoluteCap_FaultsAtOnce()
    {
        var lopHigh = new SafetySupervisor([new SupervisedCuff("a", Pressure.FromMmHg(400), Pressure.FromMmHg(320), InflationKind.Exercise)]);
        var (fault, at) = Run(lopHigh, 2, t => t < 1 ? 200 + t * 95 : 300.5, HoldCommand, _ => Pressure.FromMmHg(200));
        fault!.Kind.ShouldBe(FaultKind.AbsoluteCap);
        at.ShouldBe(1, 0.011);
        fault.Reason.ShouldContain("300 mmHg");
    }

    [Fact]
    public void Observe_AtOrAboveLopForMoreThan2s_FaultsJustAfter2s()
    {
        var s = Supervisor();
        var (fault, at) = Run(s, 5, t => Live(t < 1 ? 140 : 201, t), HoldCommand);
        // The ramp (500 mmHg/s) reaches 200 mmHg at 1.12 s. The ceiling band (176 mmHg) is crossed
        // earlier, so with default options that rule fires first, still within 2 s above LOP.
        fault!.Kind.ShouldBeOneOf(FaultKind.AtOrAboveLop, FaultKind.AboveCeiling);
        (at - 1.12).ShouldBeLessThanOrEqualTo(2.0 + 0.01);
        var lopOnly = Supervisor(new SafetySupervisorOptions { MaxTimeAtOrAboveLop = TimeSpan.FromSeconds(1.5) });
        var (lopFault, lopAt) = Run(lopOnly, 5, t => Live(t < 1 ? 140 : 201, t), HoldCommand);
        lopFault!.Kind.ShouldBe(FaultKind.AtOrAboveLop);
        (lopAt - 1.12).ShouldBeInRange(1.5, 1.5 + 0.02);
        lopFault.Reason.ShouldContain("100% LOP");
    }

    [Fact]
    public void Observe_AtLopForUnder2sRepeatedly_NoFault()
    {
        var s = Supervisor();
        // 1.5 s at 205 every 3 s: momentary peaks are expected (Swain et al. 2025).
        var (fault, _) = Run(s, 30, t => Live(t % 3 < 1.5 ? 205 : 140, t), HoldCommand);
        fault.ShouldBeNull();
    }

    [Fact]
    public void Observe_SetPointAboveCeiling_Faults()
    {
        var s = Supervisor();
        var (fault, at) = Run(s, 1, Healthy(3), HoldCommand, t => t < 0.5 ? Target : Pressure.FromMmHg(161));
        fault!.Kind.ShouldBe(FaultKind.AboveCeiling);
        at.ShouldBe(0.5, 0.011);
    }

    [Fact]
    public void Constructor_CeilingAboveHardLimit_IsCappedAt80PercentLop()
    {
        // A ceiling of 250 on a LOP of 200 is not honoured: 160 (80%) is the most the supervisor allows.
        var s = new SafetySupervisor([new SupervisedCuff("a", Lop, Pressure.FromMmHg(250), InflationKind.Exercise)]);
        var (fault, _) = Run(s, 1, Healthy(3), HoldCommand, _ => Pressure.FromMmHg(170));
        fault!.Kind.ShouldBe(FaultKind.AboveCeiling);
        s.Cuffs.ShouldHaveSingleItem().Ceiling.ShouldBe(Lop.Percent(80));
    }

    [Fact]
    public void Observe_AboveCeilingBandForMoreThan2s_Faults()
    {
        var s = Supervisor();
        var (fault, at) = Run(s, 6, t => Live(t < 1 ? 140 : 180, t), HoldCommand);
        fault!.Kind.ShouldBe(FaultKind.AboveCeiling);
        // The ramp crosses 176 mmHg (ceiling + 10%) 0.07 s after 1 s.
        (at - 1.07).ShouldBeInRange(2.0, 2.5);
    }

    [Theory]
    [InlineData(InflationKind.Exercise, 10)]
    [InlineData(InflationKind.Aerobic, 20)]
    public void Observe_InflatedPastLimit_FaultsAtTheLimitForTheKind(InflationKind kind, double minutes)
    {
        var s = Supervisor(kind: kind);
        var (fault, at) = Run(s, minutes * 60 + 5, Healthy(4), HoldCommand);
        fault!.Kind.ShouldBe(FaultKind.ContinuousInflation);
        at.ShouldBeInRange(minutes * 60, minutes * 60 + 0.5);
    }

    [Fact]
    public void Observe_DeflationShorterThanOneMinute_DoesNotResetTheInflationClock()
    {
        var s = Supervisor();
        // 6 min on, 30 s off, then on again: the clock keeps running from the first inflation.
        Func<double, double?> trace = t => t is >= 360 and < 390 ? 2 : 140 + Math.Sin(t * 7);
        var (fault, at) = Run(s, 700, trace, HoldCommand, t => t is >= 360 and < 390 ? Pressure.Zero : Target);
        fault!.Kind.ShouldBe(FaultKind.ContinuousInflation);
        at.ShouldBeInRange(600, 600.5);
    }

    [Fact]
    public void Observe_DeflationOfOneMinute_ResetsTheInflationClock()
    {
        var s = Supervisor();
        Func<double, double?> trace = t => t is >= 360 and < 425 ? 2 : 140 + Math.Sin(t * 7);
        var (fault, _) = Run(s, 900, trace, HoldCommand, t => t is >= 360 and < 425 ? Pressure.Zero : Target);
        fault.ShouldBeNull();
        s.ContinuousInflation("a", T0 + TimeSpan.FromSeconds(900)).TotalSeconds.ShouldBe(475, 0.5);
    }

    [Fact]
    public void Observe_NoNewReadings_FaultsStaleWithinHalfASecond()
    {
        var s = Supervisor();
        var healthy = Healthy(5);
        var (fault, at) = Run(s, 3, t => t < 1 ? healthy(t) : null, HoldCommand);
        fault!.Kind.ShouldBe(FaultKind.SensorStale);
        (at - 1).ShouldBeLessThanOrEqualTo(0.5);
    }

    [Fact]
    public void Observe_SameTimestampRepeated_CountsAsStale()
    {
        var s = Supervisor();
        for (var i = 0; i < 100; i++)
        {
            var now = T0 + TimeSpan.FromSeconds(i * Dt);
            var f = s.Observe("a", true, new PressureReading(140 + i % 3, T0), Target, now);
            if (f is not null)
            {
                f.Kind.ShouldBe(FaultKind.SensorStale);
                (i * Dt).ShouldBeLessThanOrEqualTo(0.5);
                return;
            }
        }
        throw new ShouldAssertException("a sensor whose timestamp never advances must be found stale");
    }

    [Fact]
    public void Observe_FrozenValueWhilePumpRuns_FaultsWithinHalfASecond()
    {
        var s = Supervisor();
        var healthy = Healthy(6);
        // Frozen at 1 s; from 1.2 s the pump runs (the controller chases a drop it cannot see).
        var (fault, at) = Run(s, 3, t => t < 1 ? healthy(t) : 139.7, t => t < 1.2 ? ActuatorCommand.Hold : new ActuatorCommand(0.4, 0));
        fault!.Kind.ShouldBe(FaultKind.SensorFrozen);
        (at - 1.2).ShouldBeLessThanOrEqualTo(0.5);
    }

    [Fact]
    public void Observe_ConstantZeroWhileIdleAndDeflated_NoFault()
    {
        var s = Supervisor();
        var (fault, _) = Run(s, 10, _ => 0, HoldCommand, _ => Pressure.Zero);
        fault.ShouldBeNull();
    }

    [Theory]
    [InlineData(380, FaultKind.AbsoluteCap)] // a spike above the cap
    [InlineData(230, FaultKind.SensorImplausible)] // +90 mmHg in 10 ms
    [InlineData(-15, FaultKind.SensorImplausible)] // vacuum
    [InlineData(double.NaN, FaultKind.SensorImplausible)]
    public void Observe_ImplausibleReading_FaultsOnThatSample(double spike, FaultKind kind)
    {
        var s = Supervisor();
        var healthy = Healthy(7);
        var (fault, at) = Run(s, 2, t => Math.Abs(t - 1) < 1e-6 ? spike : healthy(t), HoldCommand, physical: false);
        fault!.Kind.ShouldBe(kind);
        at.ShouldBe(1, 1e-6);
    }

    [Fact]
    public void Observe_FastFallWithValveOpen_IsNotASpike()
    {
        var s = Supervisor();
        // Dump from 160: exponential with a 0.15 s time constant (about 1070 mmHg/s at first).
        var (fault, _) = Run(s, 2, t => Live(t < 0.5 ? 160 : 160 * Math.Exp(-(t - 0.5) / 0.15), t), t => t < 0.5 ? ActuatorCommand.Hold : ActuatorCommand.Deflate,
            t => t < 0.5 ? Pressure.FromMmHg(140) : Pressure.Zero);
        fault.ShouldBeNull();
    }

    [Fact]
    public void Observe_FallingBelowBandWithPumpOn_FaultsLeak()
    {
        var s = Supervisor();
        var healthy = Healthy(8);
        // Leak from 1 s: pressure falls 40 mmHg/s although the controller runs the pump flat out.
        var (fault, at) = Run(s, 4, t => t < 1 ? healthy(t) : healthy(t) - 40 * (t - 1), t => t < 1.1 ? ActuatorCommand.Hold : new ActuatorCommand(1, 0));
        fault!.Kind.ShouldBe(FaultKind.Leak);
        (at - 1).ShouldBeLessThanOrEqualTo(0.8);
        fault.Reason.ShouldContain("valve closed");
    }

    [Fact]
    public void Observe_PumpRunsButPressureFlat_FaultsPumpFailure()
    {
        var s = Supervisor();
        var noise = Healthy(9, 0);
        var (fault, at) = Run(s, 3, t => 1 + (noise(t) ?? 0), _ => new ActuatorCommand(1, 0));
        fault!.Kind.ShouldBe(FaultKind.PumpFailure);
        at.ShouldBeLessThanOrEqualTo(0.5);
    }

    [Fact]
    public void Observe_ValveOpenButPressureNotFalling_FaultsValveStuck()
    {
        var s = Supervisor();
        var healthy = Healthy(10);
        var (fault, at) = Run(s, 3, healthy, t => t < 1 ? ActuatorCommand.Hold : ActuatorCommand.Deflate, t => t < 1 ? Target : Pressure.Zero);
        fault!.Kind.ShouldBe(FaultKind.ValveStuck);
        (at - 1).ShouldBeLessThanOrEqualTo(0.5);
    }

    [Fact]
    public void Filter_AfterFaultOnOneCuff_DeflatesEveryCuff()
    {
        var s = Supervisor(ids: ["left-leg", "right-leg"]);
        var now = T0;
        s.Observe("left-leg", true, new PressureReading(140, now), Target, now);
        s.Observe("right-leg", true, new PressureReading(305, now), Target, now)!.Kind.ShouldBe(FaultKind.AbsoluteCap);
        s.Filter("left-leg", new ActuatorCommand(0.7, 0)).ShouldBe(ActuatorCommand.Deflate);
        s.Filter("right-leg", new ActuatorCommand(1, 0)).ShouldBe(ActuatorCommand.Deflate);
        s.Fault!.CuffId.ShouldBe("right-leg");
    }

    [Fact]
    public void Filter_ReadingAtCeiling_StopsThePump()
    {
        var s = Supervisor();
        s.Observe("a", true, new PressureReading(160.2, T0), Target, T0);
        s.Filter("a", new ActuatorCommand(0.8, 0)).ShouldBe(ActuatorCommand.Hold);
        s.IsTripped.ShouldBeFalse();
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(7, false)]
    public void ReportSymptom_Pain_DeflatesOnlyAbove7(int pain, bool trips)
    {
        var s = Supervisor();
        var fault = s.ReportSymptom(new SymptomReport(SymptomKind.Pain, pain), T0);
        (fault is not null).ShouldBe(trips);
        s.IsTripped.ShouldBe(trips);
        if (trips) fault!.Reason.ShouldContain("pain 8/10");
    }

    [Theory]
    [InlineData(SymptomKind.Numbness)]
    [InlineData(SymptomKind.Tingling)]
    [InlineData(SymptomKind.Dizziness)]
    [InlineData(SymptomKind.SkinColourChange)]
    public void ReportSymptom_AnyOtherSymptom_Deflates(SymptomKind kind)
    {
        var s = Supervisor();
        s.ReportSymptom(new SymptomReport(kind), T0)!.Kind.ShouldBe(FaultKind.Symptom);
        s.Filter("a", new ActuatorCommand(1, 0)).ShouldBe(ActuatorCommand.Deflate);
    }

    [Fact]
    public void Stop_Always_DeflatesWithTheReason()
    {
        var s = Supervisor();
        s.Stop("athlete pressed stop", T0).Reason.ShouldBe("athlete pressed stop");
        s.Filter("a", new ActuatorCommand(1, 0)).ShouldBe(ActuatorCommand.Deflate);
    }

    [Fact]
    public void Validate_LooserThanDefaults_ListsEveryProblem()
    {
        var loose = new SafetySupervisorOptions
        {
            StaleAfter = TimeSpan.FromSeconds(1),
            MaxTimeAtOrAboveLop = TimeSpan.FromSeconds(5),
            CeilingBandPercent = 25,
            MaxRateMmHgPerSecond = 10000,
            MaxContinuousInflation = TimeSpan.FromMinutes(30),
        };
        var errors = loose.Validate();
        errors.Count.ShouldBe(5);
        errors.ShouldContain(e => e.StartsWith("MaxTimeAtOrAboveLop must be 0–2 s", StringComparison.Ordinal) && e.EndsWith("was 5 s", StringComparison.Ordinal));
        Should.Throw<ArgumentException>(() => Supervisor(loose)).Message.ShouldContain("StaleAfter");
    }

    [Fact]
    public void Validate_StricterThanDefaults_IsAccepted()
    {
        var strict = new SafetySupervisorOptions
        {
            StaleAfter = TimeSpan.FromSeconds(0.1),
            MaxTimeAtOrAboveLop = TimeSpan.FromSeconds(0.5),
            MaxContinuousInflation = TimeSpan.FromMinutes(5),
        };
        strict.Validate().ShouldBeEmpty();
        strict.ContinuousInflationLimit(InflationKind.Aerobic).ShouldBe(TimeSpan.FromMinutes(5));
        SafetySupervisorOptions.Default.ContinuousInflationLimit(InflationKind.Aerobic).ShouldBe(SafetyLimits.MaxContinuousAerobicInflation);
    }

    [Fact]
    public void Observe_StricterLopGrace_FaultsSooner()
    {
        var s = Supervisor(new SafetySupervisorOptions { MaxTimeAtOrAboveLop = TimeSpan.FromSeconds(0.5) });
        var (fault, at) = Run(s, 3, t => Live(t < 1 ? 140 : 201, t), HoldCommand);
        fault!.Kind.ShouldBe(FaultKind.AtOrAboveLop);
        (at - 1.12).ShouldBeInRange(0.5, 0.52);
    }

    [Theory]
    [InlineData("pain:8", SymptomKind.Pain, 8)]
    [InlineData("numbness", SymptomKind.Numbness, 0)]
    [InlineData("skin-color-change", SymptomKind.SkinColourChange, 0)]
    public void SymptomReport_TryParse_KnownForms(string text, SymptomKind kind, int pain)
    {
        SymptomReport.TryParse(text, out var r).ShouldBeTrue();
        r!.Kind.ShouldBe(kind);
        r.PainOutOf10.ShouldBe(pain);
    }

    [Theory]
    [InlineData("pain")]
    [InlineData("pain:11")]
    [InlineData("cramp")]
    public void SymptomReport_TryParse_Unknown_False(string text) => SymptomReport.TryParse(text, out _).ShouldBeFalse();
}
