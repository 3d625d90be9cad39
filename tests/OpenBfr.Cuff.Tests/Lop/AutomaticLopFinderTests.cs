using OpenBfr.Core.Limbs;
using OpenBfr.Core.Time;
using OpenBfr.Cuff.Lop;
using OpenBfr.Cuff.Simulation;

namespace OpenBfr.Cuff.Tests.Lop;

public class AutomaticLopFinderTests
{
    /// <summary>Runs the finder on a simulator, tracking the highest true cuff pressure.</summary>
    private static (LopMeasurement Result, double MaxTrueMmHg, double FinalTrueMmHg) Measure(SimulatedLimb limb, Action<CuffSimulator>? configure = null)
    {
        var clock = new ManualTimeProvider();
        var sim = new CuffSimulator(limb, clock.GetUtcNow());
        configure?.Invoke(sim);
        var finder = new AutomaticLopFinder(sim, clock);
        double max = 0;
        for (var i = 0; i < 40_000 && !finder.IsFinished; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            sim.AdvanceTo(clock.GetUtcNow());
            finder.Tick();
            max = Math.Max(max, sim.TruePressureMmHg);
        }
        finder.IsFinished.ShouldBeTrue();
        return (finder.Result!, max, sim.TruePressureMmHg);
    }

    [Theory]
    [InlineData(150, BodyPosition.Supine, 1)]
    [InlineData(187, BodyPosition.Supine, 2)] // Hughes et al. 2018 supine mean
    [InlineData(204, BodyPosition.Seated, 3)] // Hughes et al. 2018 seated mean
    [InlineData(242, BodyPosition.Standing, 4)] // Hughes et al. 2018 standing mean
    [InlineData(280, BodyPosition.Standing, 5)]
    public void Measure_TypicalThigh_FindsTheTrueLopWithin8MmHgAndDeflates(double trueLop, BodyPosition position, int seed)
    {
        var (m, max, final) = Measure(SimulatedLimb.Leg(trueLop, position, seed));
        m.Succeeded.ShouldBeTrue(m.Message);
        Math.Abs(m.Lop!.Value.MmHg - trueLop).ShouldBeLessThanOrEqualTo(8);
        m.Confidence.ShouldBeInRange(0.25, 1);
        m.Duration.TotalSeconds.ShouldBeLessThan(90); // the bench reports the time distribution
        max.ShouldBeLessThanOrEqualTo(300);
        final.ShouldBeLessThan(10);
    }

    [Fact]
    public void Measure_NoArterialPulse_ReportsNoPulseInsteadOfGuessing()
    {
        var (m, _, final) = Measure(SimulatedLimb.Leg(200, BodyPosition.Supine, 6) with { ArterialPulseVolumeMl = 0 });
        m.Succeeded.ShouldBeFalse();
        m.Lop.ShouldBeNull();
        m.Failure.ShouldBe(LopFailure.NoPulse);
        final.ShouldBeLessThan(10);
    }

    [Fact]
    public void Measure_LopAboveTheCap_ReportsItAndNeverExceeds300()
    {
        var (m, max, final) = Measure(SimulatedLimb.Leg(380, BodyPosition.Standing, 7));
        m.Succeeded.ShouldBeFalse();
        m.Failure.ShouldBe(LopFailure.NoOcclusionBelowCap);
        m.Message.ShouldContain("300 mmHg");
        max.ShouldBeLessThanOrEqualTo(300);
        final.ShouldBeLessThan(10);
    }

    [Fact]
    public void Measure_PumpDead_ReportsADeviceProblem()
    {
        var (m, _, _) = Measure(SimulatedLimb.Leg(200, BodyPosition.Supine, 8), sim => sim.InjectFault(CuffFault.PumpFailure, TimeSpan.Zero));
        m.Failure.ShouldBe(LopFailure.DeviceProblem);
        m.Message.ShouldContain("did not reach");
    }

    [Fact]
    public void Measure_HeavyMotion_NeverReportsAWrongValueAsSuccess()
    {
        var (m, _, _) = Measure(SimulatedLimb.Leg(220, BodyPosition.Standing, 9) with { MotionArtifactSdMl = 3 });
        if (m.Succeeded) Math.Abs(m.Lop!.Value.MmHg - 220).ShouldBeLessThanOrEqualTo(15);
        else m.Failure.ShouldBeOneOf(LopFailure.MotionArtifact, LopFailure.LowConfidence, LopFailure.NoPulse);
    }

    [Fact]
    public void Measure_SameSeed_SameResult()
    {
        var a = LopFinderRig.Measure(SimulatedLimb.Leg(210, BodyPosition.Standing, 3));
        var b = LopFinderRig.Measure(SimulatedLimb.Leg(210, BodyPosition.Standing, 3));
        a.Lop.ShouldBe(b.Lop);
        a.Duration.ShouldBe(b.Duration);
        a.Steps.ShouldBe(b.Steps);
    }

    [Fact]
    public void Options_OutOfRange_ListsEveryProblem()
    {
        var e = new LopFinderOptions { MaxMmHg = 320, RecordSeconds = 0.5 }.Validate();
        e.Count.ShouldBe(2);
        e.ShouldContain("MaxMmHg must be 100–295 mmHg, was 320");
    }

    [Fact]
    public void PulseAnalysis_SineAt72PerMinuteInNoise_FindsBeatAndPower()
    {
        var random = new Random(1);
        var samples = Enumerable.Range(0, 400).Select(i => 150 + 0.2 * i / 100 + Math.Sin(2 * Math.PI * 1.2 * i / 100) + 0.3 * (random.NextDouble() - 0.5)).ToList();
        var x = PulseAnalysis.BandPass(samples, 100);
        var (beat, strength) = PulseAnalysis.BeatPeriod(x, 100);
        beat.ShouldBe(1 / 1.2, 0.02);
        strength.ShouldBeGreaterThan(0.8);
        // A unit sine has mean square 0.5; the 0.6 Hz high-pass, run twice, keeps 88% of it at
        // 1.2 Hz (1 / (1 + (0.6/1.2)^4)); the noise does not repeat with the beat.
        PulseAnalysis.PeriodicPower(x, 100, beat).ShouldBe(0.44, 0.04);
    }
}
