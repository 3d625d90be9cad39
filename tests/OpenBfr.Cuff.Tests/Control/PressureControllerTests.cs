using OpenBfr.Core.Limbs;
using OpenBfr.Core.Units;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Tests.Control;

public class PressureControllerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Pressure Target = Pressure.FromMmHg(160);
    private static readonly Pressure Ceiling = Pressure.FromMmHg(160);

    [Theory]
    [InlineData(BodyPosition.Supine)]
    [InlineData(BodyPosition.Seated)]
    [InlineData(BodyPosition.Standing)]
    public void ClosedLoop_SwainLegPress_HoldsTargetThroughContractions(BodyPosition position)
    {
        // Swain et al. 2025's anchor is Delfi PTS: 95% of exercise time within ±10%, 99% of rest
        // within ±5%. OpenBFR's target (issue 3): ≥ 99% and ≥ 99%, never at or above 100% LOP.
        for (var seed = 1; seed <= 4; seed++)
        {
            var limb = SimulatedLimb.Leg(SimulatedLimb.TypicalLegLopMmHg(position) - 20 + 10 * seed, position, seed);
            var r = PressureHoldTrial.Run(limb, new ClosedLoopRegulator(), HoldScenario.SwainLegPress);
            r.ExerciseWithin10Percent.ShouldBeGreaterThanOrEqualTo(99, $"seed {seed}");
            r.RestWithin5Percent.ShouldBeGreaterThanOrEqualTo(99, $"seed {seed}");
            r.PeakPercentOfLop.ShouldBeLessThan(95, $"seed {seed}");
            r.SecondsAtOrAboveLop.ShouldBe(0);
        }
    }

    [Fact]
    public void ClosedLoop_Arm_HoldsTargetThroughContractions()
    {
        var limb = SimulatedLimb.Arm(150, BodyPosition.Seated, seed: 3);
        var r = PressureHoldTrial.Run(limb, new ClosedLoopRegulator(), HoldScenario.SwainLegPress with { TargetPercentOfLop = 50 });
        r.ExerciseWithin10Percent.ShouldBeGreaterThanOrEqualTo(99);
        r.RestWithin5Percent.ShouldBeGreaterThanOrEqualTo(99);
    }

    [Fact]
    public void ClosedLoop_OutperformsBothBaselinesOnTheSameLimb()
    {
        var limb = SimulatedLimb.Leg(204, BodyPosition.Seated, seed: 11);
        var ours = PressureHoldTrial.Run(limb, new ClosedLoopRegulator(), HoldScenario.SwainLegPress);
        var bangBang = PressureHoldTrial.Run(limb, new BangBangController(), HoldScenario.SwainLegPress);
        var unregulated = PressureHoldTrial.Run(limb, new UnregulatedController(), HoldScenario.SwainLegPress);
        // On the Swain scenario a sane bang-bang (a vent sized like the pump) also holds its band; ours never less.
        ours.ExerciseWithin10Percent.ShouldBeGreaterThanOrEqualTo(bangBang.ExerciseWithin10Percent);
        bangBang.ExerciseWithin10Percent.ShouldBeGreaterThan(unregulated.ExerciseWithin10Percent);
        ours.PeakPercentOfLop.ShouldBeLessThan(unregulated.PeakPercentOfLop);
        ours.PeakPercentOfLop.ShouldBeLessThan(bangBang.PeakPercentOfLop);

        // Strong, fast contractions (the bench's stress row): the on/off vent cannot keep up, the closed loop can.
        var strong = limb with { ContractionVolumeMl = limb.ContractionVolumeMl * 1.5 };
        var fast = HoldScenario.SwainLegPress with { SecondsPerRep = 1.2 };
        var oursStressed = PressureHoldTrial.Run(strong, new ClosedLoopRegulator(), fast);
        var bangBangStressed = PressureHoldTrial.Run(strong, new BangBangController(), fast);
        oursStressed.ExerciseWithin10Percent.ShouldBeGreaterThan(bangBangStressed.ExerciseWithin10Percent);
        oursStressed.PeakPercentOfLop.ShouldBeLessThan(bangBangStressed.PeakPercentOfLop);
    }

    [Fact]
    public void ClosedLoop_SlowLeakDuringTheSession_PressureRecoversToTheBand()
    {
        var limb = SimulatedLimb.Leg(200, BodyPosition.Seated, seed: 5);
        var leakAt = TimeSpan.FromSeconds(40);
        var worstAfterSettling = 0.0;
        var result = PressureHoldTrial.Run(limb, new ClosedLoopRegulator(), HoldScenario.SwainLegPress,
            prepare: sim => sim.InjectFault(CuffFault.SlowLeak, leakAt),
            observe: (sim, phase, target, _) =>
            {
                if (phase == HoldPhase.Rest && sim.Elapsed > leakAt + TimeSpan.FromSeconds(5))
                {
                    worstAfterSettling = Math.Max(worstAfterSettling, Math.Abs(sim.TruePressureMmHg - target.MmHg) / target.MmHg);
                }
            });
        result.ExerciseWithin10Percent.ShouldBeGreaterThanOrEqualTo(98);
        worstAfterSettling.ShouldBeLessThan(0.05);
    }

    [Fact]
    public void ClosedLoop_TargetAboveCeiling_NeverPumpsAtOrAboveTheCeiling()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(250, BodyPosition.Seated, seed: 2));
        var regulator = new ClosedLoopRegulator();
        var ceiling = Pressure.FromMmHg(150);
        var target = Pressure.FromMmHg(220);
        var peakHeld = 0.0;
        sim.BeginSet(30, 2);
        for (var i = 0; i < 8000; i++)
        {
            sim.Heartbeat();
            sim.TryReadPressure(out var reading);
            var command = i == 0 ? ActuatorCommand.Hold : regulator.Update(reading, target, ceiling);
            if (reading.PressureMmHg >= ceiling.MmHg) command.PumpDuty.ShouldBe(0);
            sim.Command(command);
            sim.Advance(TimeSpan.FromMilliseconds(10));
            if (i > 1500 && !sim.InSet) peakHeld = Math.Max(peakHeld, sim.TruePressureMmHg);
        }
        peakHeld.ShouldBeLessThanOrEqualTo(ceiling.MmHg * 1.02);
        peakHeld.ShouldBeGreaterThan(ceiling.MmHg * 0.95);
    }

    [Fact]
    public void Step_AnyReadingAtOrAboveCeiling_NeverPumps()
    {
        var controller = new PressureController();
        var random = new SimRandom(42);
        var state = PressureControllerState.Initial;
        for (var i = 0; i < 20000; i++)
        {
            var at = T0 + TimeSpan.FromMilliseconds(10 * i);
            var reading = new PressureReading(300 * random.NextDouble(), at);
            var ceiling = Pressure.FromMmHg(50 + 200 * random.NextDouble());
            var target = Pressure.FromMmHg(300 * random.NextDouble());
            (state, var command) = controller.Step(state, reading, at, target, ceiling);
            if (reading.PressureMmHg >= ceiling.MmHg) command.PumpDuty.ShouldBe(0);
            command.PumpDuty.ShouldBeInRange(0, 1);
            command.ValveOpening.ShouldBeInRange(0, 1);
            (command.PumpDuty > 0 && command.ValveOpening > 0).ShouldBeFalse();
        }
    }

    [Fact]
    public void ReadmeExample_ClosedLoopThroughASet_EndsWithinFivePercentOfTarget()
    {
        // The example in README.md "Cuff simulator and pressure control", as written there.
        var sim = new CuffSimulator(SimulatedLimb.Leg(trueLopMmHg: 204, BodyPosition.Seated, seed: 3));
        var regulator = new ClosedLoopRegulator();
        var target = Pressure.FromMmHg(163);  // 80% LOP
        sim.BeginSet(30, 2);
        for (var i = 0; i < 6000; i++)        // 60 s at 100 Hz
        {
            sim.Heartbeat();
            if (sim.TryReadPressure(out var reading)) sim.Command(regulator.Update(reading, target, ceiling: target));
            sim.Advance(TimeSpan.FromMilliseconds(10));
        }

        Math.Abs(sim.TruePressureMmHg - 163).ShouldBeLessThan(0.05 * 163);
    }

    [Fact]
    public void HoldTrial_SameLimbAndRegulator_SameResult()
    {
        var limb = LimbPopulation.Create(3, seed: 4)[2];
        var a = PressureHoldTrial.Run(limb, new ClosedLoopRegulator(), HoldScenario.SwainLegPress);
        var b = PressureHoldTrial.Run(limb, new ClosedLoopRegulator(), HoldScenario.SwainLegPress);
        b.ShouldBe(a);
        PressureHoldTrial.Run(limb with { Seed = limb.Seed + 1 }, new ClosedLoopRegulator(), HoldScenario.SwainLegPress).ShouldNotBe(a);
    }

    [Fact]
    public void AllRegulators_CeilingAboveTheHardCap_NeverPumpAtOrAbove300()
    {
        // A caller's mistake (a ceiling of 400 mmHg) cannot lift the 300 mmHg cap (DESIGN.md section 3).
        var tooHigh = Pressure.FromMmHg(400);
        IPressureRegulator[] regulators = [new ClosedLoopRegulator(), new BangBangController(minimumDwellSeconds: 0), new UnregulatedController()];
        foreach (var regulator in regulators)
        {
            for (var i = 0; i < 20; i++)
            {
                var at = T0 + TimeSpan.FromMilliseconds(10 * i);
                regulator.Update(new PressureReading(250 + 3 * i, at), tooHigh, tooHigh);
            }
            var last = T0 + TimeSpan.FromMilliseconds(200);
            regulator.Update(new PressureReading(300, last), tooHigh, tooHigh).PumpDuty.ShouldBe(0, regulator.Name);
        }
    }

    [Fact]
    public void Step_SameStateAndInputs_SameOutput()
    {
        var controller = new PressureController();
        var state = PressureControllerState.Initial;
        for (var i = 0; i < 50; i++)
        {
            var at = T0 + TimeSpan.FromMilliseconds(10 * i);
            (state, _) = controller.Step(state, new PressureReading(100 + i, at), at, Target, Ceiling);
        }
        var next = new PressureReading(155, T0 + TimeSpan.FromMilliseconds(500));
        var a = controller.Step(state, next, next.At, Target, Ceiling);
        var b = controller.Step(state, next, next.At, Target, Ceiling);
        a.ShouldBe(b);
        a.Command.PumpDuty.ShouldBeGreaterThan(0); // below target and not rising by itself
    }

    [Fact]
    public void Step_StaleReading_Holds()
    {
        var controller = new PressureController();
        var reading = new PressureReading(60, T0);
        var (_, command) = controller.Step(PressureControllerState.Initial, reading, T0 + TimeSpan.FromSeconds(1), Target, Ceiling);
        command.ShouldBe(ActuatorCommand.Hold);
    }

    [Fact]
    public void Step_RisingFastAtTarget_OpensTheValveBeforeTheErrorGrows()
    {
        // A contraction: pressure climbing at 60 mmHg/s while still only 2 mmHg above target.
        var controller = new PressureController();
        var state = PressureControllerState.Initial;
        for (var i = 0; i < 100; i++)
        {
            var at = T0 + TimeSpan.FromMilliseconds(10 * i);
            (state, _) = controller.Step(state, new PressureReading(160, at), at, Target, Pressure.FromMmHg(200));
        }
        var command = ActuatorCommand.Hold;
        for (var i = 1; i <= 4; i++)
        {
            var at = T0 + TimeSpan.FromMilliseconds(990 + 10 * i);
            (state, command) = controller.Step(state, new PressureReading(160 + 0.6 * i, at), at, Target, Pressure.FromMmHg(200));
        }
        command.ValveOpening.ShouldBeGreaterThan(0.05);
        command.PumpDuty.ShouldBe(0);
    }

    [Fact]
    public void Step_SingleSensorSpike_IsIgnored()
    {
        var controller = new PressureController();
        var state = PressureControllerState.Initial;
        for (var i = 0; i < 100; i++)
        {
            var at = T0 + TimeSpan.FromMilliseconds(10 * i);
            (state, _) = controller.Step(state, new PressureReading(160, at), at, Target, Pressure.FromMmHg(200));
        }
        var spikeAt = T0 + TimeSpan.FromMilliseconds(1000);
        var (_, command) = controller.Step(state, new PressureReading(320, spikeAt), spikeAt, Target, Pressure.FromMmHg(200));
        command.ValveOpening.ShouldBeLessThan(0.05);
    }

    [Fact]
    public void Options_OutOfRange_ListsEveryBadField()
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() =>
            new PressureController(new PressureControllerOptions { ProportionalGain = 0, StaleAfterS = 10 }));
        ex.Message.ShouldContain("ProportionalGain must be 0.5–100 per s, was 0");
        ex.Message.ShouldContain("StaleAfterS must be 0.01–5 s, was 10");
    }

    [Fact]
    public void Unregulated_AfterReachingTarget_NeverPumpsAgain()
    {
        var regulator = new UnregulatedController();
        regulator.Update(new PressureReading(100, T0), Target, Ceiling).PumpDuty.ShouldBe(1);
        regulator.Update(new PressureReading(161, T0), Target, Ceiling).ShouldBe(ActuatorCommand.Hold);
        regulator.Update(new PressureReading(90, T0), Target, Ceiling).ShouldBe(ActuatorCommand.Hold);
        regulator.Reset();
        regulator.Update(new PressureReading(90, T0), Target, Ceiling).PumpDuty.ShouldBe(1);
    }

    [Fact]
    public void BangBang_OutsideBand_PumpsOrVentsUntilBackAtTarget()
    {
        var regulator = new BangBangController(bandPercent: 5, minimumDwellSeconds: 0);
        var ceiling = Pressure.FromMmHg(200);
        regulator.Update(new PressureReading(150, T0), Target, ceiling).PumpDuty.ShouldBe(1);
        regulator.Update(new PressureReading(158, T0), Target, ceiling).PumpDuty.ShouldBe(1); // inside band, still pumping up to target
        regulator.Update(new PressureReading(160, T0), Target, ceiling).ShouldBe(ActuatorCommand.Hold);
        regulator.Update(new PressureReading(166, T0), Target, ceiling).ShouldBe(ActuatorCommand.Hold); // inside band
        regulator.Update(new PressureReading(170, T0), Target, ceiling).ValveOpening.ShouldBe(BangBangController.DefaultVentOpening);
    }

    [Fact]
    public void BangBang_DefaultVent_IsARestrictedOrificeNotADump()
    {
        // One 0.1 s dwell of venting at 180 mmHg through the default vent moves a nominal thigh cuff by about the 5% band,
        // not the 25–35% a fully open valve dumps (the controller's nominal valve model: 320 mmHg/s at 100 mmHg, ∝ √P);
        // a vent asked for explicitly is still used as given.
        var fallPerDwell = BangBangController.DefaultVentOpening * PressureControllerOptions.Default.NominalValveFallAt100MmHgPerS * Math.Sqrt(180.0 / 100) * 0.1;
        (fallPerDwell / 180 * 100).ShouldBeInRange(2, 7);
        new BangBangController(ventOpening: 1, minimumDwellSeconds: 0).Update(new PressureReading(170, T0), Target, Pressure.FromMmHg(200)).ValveOpening.ShouldBe(1);
    }
}
