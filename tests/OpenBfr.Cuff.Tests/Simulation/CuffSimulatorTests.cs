using OpenBfr.Core.Limbs;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Tests.Simulation;

public class CuffSimulatorTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <summary>Pumps to <paramref name="targetMmHg"/> (true pressure), then holds, heartbeating every tick.</summary>
    private static void InflateTo(CuffSimulator sim, double targetMmHg)
    {
        sim.Command(new ActuatorCommand(1, 0));
        for (var i = 0; i < 6000 && sim.TruePressureMmHg < targetMmHg; i++)
        {
            sim.Heartbeat();
            sim.Advance(Tick);
        }
        sim.Command(ActuatorCommand.Hold);
    }

    private static void Run(CuffSimulator sim, TimeSpan duration, Action<CuffSimulator>? each = null)
    {
        var end = sim.Elapsed + duration;
        while (sim.Elapsed < end)
        {
            sim.Heartbeat();
            sim.Advance(Tick);
            each?.Invoke(sim);
        }
    }

    [Fact]
    public void UnregulatedCuff_SwainLegPress_SpendsLikeTheUnregulatedDevicesWithinTenPercent()
    {
        // Swain et al. 2025, leg press 30-15-15-15 at 80% LOP, 30 s rests, cuff on: the unregulated
        // devices (SmartCuffs, Saga, Suji) kept 25–34% of exercise time within ±10% of target and
        // 0% of rest within ±5%. Seated leg (the leg press is seated), LOPs around the seated mean
        // of 204 mmHg (Hughes et al. 2018).
        var results = Enumerable.Range(1, 8)
            .Select(seed => PressureHoldTrial.Run(
                SimulatedLimb.Leg(180 + 6 * seed, BodyPosition.Seated, seed),
                new UnregulatedController(),
                HoldScenario.SwainLegPress))
            .ToList();

        var exercise = results.Average(r => r.ExerciseWithin10Percent);
        var rest = results.Average(r => r.RestWithin5Percent);
        exercise.ShouldBeInRange(25, 34, $"mean % exercise time within ±10%: {exercise:F1}");
        rest.ShouldBeLessThan(10, $"mean % rest time within ±5%: {rest:F1}");
        results.ShouldAllBe(r => r.PeakPercentOfLop > 90); // contraction spikes go far above the target
    }

    [Fact]
    public void UnregulatedCuff_VariedLegPopulation_StillLooksLikeTheUnregulatedDevices()
    {
        // Same anchor (Swain et al. 2025: 25–34% of exercise within ±10%, 0% of rest within ±5%),
        // over 24 legs in all positions with every limb, cuff, pump, valve and sensor parameter varied.
        var results = LimbPopulation.Create(24, seed: 2025)
            .Select(limb => PressureHoldTrial.Run(limb, new UnregulatedController(), HoldScenario.SwainLegPress))
            .ToList();
        var exercise = results.Average(r => r.ExerciseWithin10Percent);
        exercise.ShouldBeInRange(25, 34, $"mean % exercise time within ±10%: {exercise:F1}");
        results.Average(r => r.RestWithin5Percent).ShouldBeLessThan(10);
    }

    [Fact]
    public void LimbPopulation_SameSeed_SameValidLimbs()
    {
        var a = LimbPopulation.Create(30, seed: 9, LimbKind.Arm);
        a.ShouldBe(LimbPopulation.Create(30, seed: 9, LimbKind.Arm));
        a.ShouldNotBe(LimbPopulation.Create(30, seed: 10, LimbKind.Arm));
        a.ShouldAllBe(l => l.Validate().Count == 0);
        a.Select(l => l.Position).Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public void Simulator_SameSeedAndInputs_GiveIdenticalReadings()
    {
        static string Trace(int seed)
        {
            var sim = new CuffSimulator(SimulatedLimb.Leg(200, BodyPosition.Standing, seed));
            sim.InjectFault(CuffFault.SlowLeak, TimeSpan.FromSeconds(20));
            var sb = new System.Text.StringBuilder();
            InflateTo(sim, 150);
            sim.BeginSet(10, 2);
            Run(sim, TimeSpan.FromSeconds(25), s =>
            {
                s.TryReadPressure(out var r).ShouldBeTrue();
                sb.Append(r.PressureMmHg.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append(';')
                  .Append(s.TruePressureMmHg.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
            });
            return sb.ToString();
        }

        Trace(7).ShouldBe(Trace(7));
        Trace(7).ShouldNotBe(Trace(8));
    }

    [Fact]
    public void Watchdog_NoHeartbeatForTwoSeconds_DeflatesAndRecordsWhy()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, seed: 1));
        InflateTo(sim, 150);
        sim.Command(ActuatorCommand.Hold);
        sim.Heartbeat();
        var lastBeat = sim.Now;

        sim.Advance(TimeSpan.FromSeconds(1.9));
        sim.WatchdogTripped.ShouldBeFalse();
        sim.TruePressureMmHg.ShouldBeGreaterThan(120);

        sim.Advance(TimeSpan.FromSeconds(1.1)); // 1 s after the trip
        sim.WatchdogTripped.ShouldBeTrue();
        sim.TruePressureMmHg.ShouldBeLessThan(20);
        var trip = sim.DeviceEvents.Single(e => e.Kind == "watchdog-deflate");
        (trip.At - lastBeat).ShouldBe(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(2));
        trip.Reason.ShouldContain("heartbeat");

        // Latched: a host that comes back cannot re-inflate without re-arming.
        sim.Heartbeat();
        sim.Command(new ActuatorCommand(1, 0));
        Run(sim, TimeSpan.FromSeconds(1));
        sim.TruePressureMmHg.ShouldBeLessThan(20);
    }

    [Fact]
    public void LostHost_HeartbeatsStopArriving_DeviceDeflatesWithinTwoSecondsOfTheLastOne()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, seed: 2));
        InflateTo(sim, 150);
        sim.InjectFault(CuffFault.LostHost, sim.Elapsed + TimeSpan.FromSeconds(1));
        Run(sim, TimeSpan.FromSeconds(4)); // the host keeps calling; nothing arrives
        sim.WatchdogTripped.ShouldBeTrue();
        sim.TryReadPressure(out _).ShouldBeFalse();
        var lost = sim.DeviceEvents.Single(e => e.Kind == "fault-onset").At;
        var trip = sim.DeviceEvents.Single(e => e.Kind == "watchdog-deflate").At;
        (trip - lost).ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(2));
        sim.TruePressureMmHg.ShouldBeLessThan(20);
    }

    [Fact]
    public void FullDeflate_From160_IsBelow20WithinOneSecond()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, seed: 3));
        InflateTo(sim, 160);
        sim.Command(ActuatorCommand.Deflate);
        Run(sim, TimeSpan.FromSeconds(1));
        sim.TruePressureMmHg.ShouldBeLessThan(20);
    }

    [Fact]
    public void ValveStuckClosed_RegulatingValveIgnored_DumpValveStillDeflates()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, seed: 4));
        InflateTo(sim, 150);
        sim.InjectFault(CuffFault.ValveStuckClosed, sim.Elapsed);
        sim.Command(new ActuatorCommand(0, 0.5));
        Run(sim, TimeSpan.FromSeconds(1));
        sim.TruePressureMmHg.ShouldBeGreaterThan(120);
        sim.Command(ActuatorCommand.Deflate);
        Run(sim, TimeSpan.FromSeconds(1));
        sim.TruePressureMmHg.ShouldBeLessThan(20);
    }

    [Fact]
    public void SensorFreeze_ReadingStopsChanging_WhileTruePressureMoves()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, seed: 5));
        InflateTo(sim, 150);
        sim.InjectFault(CuffFault.SensorFreeze, sim.Elapsed);
        sim.BeginSet(5, 2);
        var readings = new HashSet<double>();
        var truth = new List<double>();
        Run(sim, TimeSpan.FromSeconds(5), s =>
        {
            s.TryReadPressure(out var r).ShouldBeTrue();
            readings.Add(r.PressureMmHg);
            truth.Add(s.TruePressureMmHg);
        });
        readings.Count.ShouldBe(1);
        (truth.Max() - truth.Min()).ShouldBeGreaterThan(20);
    }

    [Fact]
    public void SensorSpike_FirstSampleAfterOnset_IsImplausiblyHigh()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, seed: 6));
        InflateTo(sim, 150);
        sim.InjectFault(CuffFault.SensorSpike, sim.Elapsed);
        Run(sim, Tick);
        sim.TryReadPressure(out var r).ShouldBeTrue();
        (r.PressureMmHg - sim.TruePressureMmHg).ShouldBeGreaterThan(100);
    }

    [Theory]
    [InlineData(CuffFault.SlowLeak, 1, 10)]
    [InlineData(CuffFault.FastLeak, 100, 150)]
    public void Leak_HeldCuff_LosesPressureAtItsRate(CuffFault fault, double minDrop, double maxDrop)
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, seed: 7));
        InflateTo(sim, 150);
        Run(sim, TimeSpan.FromSeconds(60)); // let tissue creep settle
        var before = sim.TruePressureMmHg;
        sim.InjectFault(fault, sim.Elapsed);
        Run(sim, TimeSpan.FromSeconds(2));
        (before - sim.TruePressureMmHg).ShouldBeInRange(minDrop, maxDrop);
    }

    [Fact]
    public void PumpFailure_PumpCommanded_PressureDoesNotRise()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, seed: 8));
        sim.InjectFault(CuffFault.PumpFailure, TimeSpan.Zero);
        sim.Command(new ActuatorCommand(1, 0));
        Run(sim, TimeSpan.FromSeconds(5));
        sim.TruePressureMmHg.ShouldBeLessThan(2);
    }

    [Fact]
    public void Contraction_RepOnHeldThighCuff_SpikesPressureTwentyToFiftyPercent()
    {
        var sim = new CuffSimulator(SimulatedLimb.Leg(200, BodyPosition.Seated, seed: 9) with { TissueCreepMlPerMmHg = 0, LeakCoefficient = 0, SwellingMlPerActiveSecond = 0 });
        InflateTo(sim, 160);
        Run(sim, TimeSpan.FromSeconds(2));
        var baseline = sim.TruePressureMmHg;
        sim.BeginSet(1, 2);
        var peak = 0.0;
        Run(sim, TimeSpan.FromSeconds(2), s => peak = Math.Max(peak, s.TruePressureMmHg));
        (peak / baseline - 1).ShouldBeInRange(0.20, 0.50);
    }

    [Fact]
    public void CueRep_OneCuePerRep_MatchesBeginSetUntilTheLastRep()
    {
        var limb = SimulatedLimb.Leg(200, BodyPosition.Seated, seed: 12);
        var scheduled = new CuffSimulator(limb);
        var cued = new CuffSimulator(limb);
        InflateTo(scheduled, 160);
        InflateTo(cued, 160);
        scheduled.BeginSet(10, 2);
        var a = new List<double>();
        var b = new List<double>();
        for (var i = 0; i < 1800; i++) // 9 reps of 2 s
        {
            if (i % 200 == 0) cued.CueRep(TimeSpan.FromSeconds(2));
            scheduled.Heartbeat();
            cued.Heartbeat();
            scheduled.Advance(Tick);
            cued.Advance(Tick);
            a.Add(scheduled.TruePressureMmHg);
            b.Add(cued.TruePressureMmHg);
        }
        b.ShouldBe(a);

        // No further cue: the held load goes off over half a rep after the cued rep ends, without a step.
        var activity = new List<double>();
        Run(cued, TimeSpan.FromSeconds(2), s => activity.Add(s.MuscleActivity));
        cued.InSet.ShouldBeFalse();
        activity[^1].ShouldBe(0);
        activity.Zip(activity.Skip(1), (x, y) => Math.Abs(y - x)).Max().ShouldBeLessThan(0.1);
    }

    [Fact]
    public void Posture_UprightVersusSupine_MotionMakesReadingsNoisier()
    {
        static double ReadingSpread(BodyPosition position)
        {
            var sim = new CuffSimulator(SimulatedLimb.Leg(250, position, seed: 13) with
            {
                ArterialPulseVolumeMl = 0, LeakCoefficient = 0, TissueCreepMlPerMmHg = 0, SensorNoiseSdMmHg = 0, SensorQuantisationMmHg = 0,
            });
            InflateTo(sim, 150);
            var values = new List<double>();
            Run(sim, TimeSpan.FromSeconds(10), s => { s.TryReadPressure(out var r); values.Add(r.PressureMmHg); });
            var mean = values.Average();
            return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        }

        var supine = ReadingSpread(BodyPosition.Supine);
        ReadingSpread(BodyPosition.Seated).ShouldBeGreaterThan(1.5 * supine);
        ReadingSpread(BodyPosition.Standing).ShouldBeGreaterThan(3 * supine);
    }

    /// <summary>Peak-to-trough of the true pressure over 6 s at a held cuff pressure: the oscillometric amplitude.</summary>
    private static double PulseAmplitudeAt(double cuffMmHg)
    {
        var limb = SimulatedLimb.Leg(200, seed: 10) with
        {
            TissueCreepMlPerMmHg = 0, LeakCoefficient = 0, MotionArtifactSdMl = 0,
            HeartRateVariability = 0, PulsePressureVariability = 0,
        };
        var sim = new CuffSimulator(limb);
        InflateTo(sim, cuffMmHg);
        Run(sim, TimeSpan.FromSeconds(1));
        var values = new List<double>();
        Run(sim, TimeSpan.FromSeconds(6), s => values.Add(s.TruePressureMmHg));
        return values.Max() - values.Min();
    }

    [Fact]
    public void ArterialPulse_Envelope_PeaksBelowLopAndVanishesAtIt()
    {
        // Oscillometry: the pulse in the cuff is largest near mean arterial pressure and gone
        // once the cuff occludes the artery (DESIGN.md section 5).
        var amplitudes = new[] { 60.0, 100, 140, 170, 190, 200, 215 }.ToDictionary(p => p, PulseAmplitudeAt);
        var peakAt = amplitudes.MaxBy(kv => kv.Value).Key;
        peakAt.ShouldBeInRange(100, 170);
        amplitudes[peakAt].ShouldBeGreaterThan(0.8);
        amplitudes[190].ShouldBeLessThan(amplitudes[peakAt] / 2);
        amplitudes[200].ShouldBeLessThan(0.1);
        amplitudes[215].ShouldBeLessThan(0.1);
    }

    [Fact]
    public void Constructor_InvalidLimb_ListsEveryBadField()
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() =>
            new CuffSimulator(new SimulatedLimb { TrueLopMmHg = 20, HeartRateBpm = 400 }));
        ex.Message.ShouldContain("TrueLopMmHg must be 50–400 mmHg, was 20");
        ex.Message.ShouldContain("HeartRateBpm must be 30–220 beats/min, was 400");
    }
}
