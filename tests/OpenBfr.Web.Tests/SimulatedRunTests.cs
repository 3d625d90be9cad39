using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Prescriptions;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Time;
using OpenBfr.Core.Units;
using OpenBfr.Data.Sessions;
using OpenBfr.Web.Sessions;

namespace OpenBfr.Web.Tests;

/// <summary>The web's driver of the engine on simulated cuffs, stepped on a manual wall clock (no sleeping).</summary>
public sealed class SimulatedRunTests
{
    private static (SimulatedRun Run, LiveBuffer Buffer, ManualTimeProvider Wall) Start(params Limb[] limbs)
    {
        var wall = new ManualTimeProvider();
        var prescriptions = limbs.Select(limb => Prescriber.Prescribe(new PrescriptionRequest(
            new LimbOcclusionPressure(Pressure.FromMmHg(200), limb, BodyPosition.Standing, CuffDescription.StandardLeg, LopMethod.Doppler, wall.GetUtcNow()),
            limb, Modality.Resistance, BodyPosition.Standing, wall.GetUtcNow()))).ToList();
        var buffer = new LiveBuffer();
        return (new SimulatedRun(prescriptions, wall, buffer, seed: 7), buffer, wall);
    }

    private static void RunFor(SimulatedRun run, ManualTimeProvider wall, double seconds)
    {
        for (var t = 0.0; t < seconds; t += 0.1)
        {
            wall.Advance(TimeSpan.FromMilliseconds(100));
            run.Tick();
        }
    }

    [Fact]
    public void Tick_TwentySecondsOnTwoCuffs_InflatesBothTowardsTheirTargetsAndRecordsTelemetry()
    {
        var (run, buffer, wall) = Start(Limb.LeftLeg, Limb.RightLeg);
        RunFor(run, wall, 20);
        var (events, samples) = buffer.Take(withSamples: true);
        samples.Select(s => s.CuffId).Distinct().Order().ShouldBe(["left-leg", "right-leg"]);
        samples.Count.ShouldBeGreaterThan(300, "10 samples per second per cuff");
        run.LatestMmHg.Values.ShouldAllBe(p => p > 120 && p < 160, "the target is 140 mmHg (70% of 200) within the 100–160 band");
        events.Count(e => e.Kind == "cuff").ShouldBe(2);
        events.ShouldContain(e => e.Kind == "set-start");
        run.Status.Exercise.ShouldBe("squat");
        run.IsEnded.ShouldBeFalse();
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("numbness")]
    public async Task StopOrSymptom_BeforeTheFirstTick_EndsAtOnceAndLaterTicksReturn(string what)
    {
        var (run, buffer, wall) = Start(Limb.LeftLeg);
        var done = Task.Run(() =>
        {
            if (what == "stop") run.Stop("stopped at once"); else run.ReportSymptom(what, null);
            wall.Advance(TimeSpan.FromMilliseconds(100));
            run.Tick();
        });
        // A timeout only: the run itself is on a manual clock.
        (await Task.WhenAny(done, Task.Delay(TimeSpan.FromSeconds(10))) == done).ShouldBeTrue("stop before the first tick must not hang the run");
        run.IsEnded.ShouldBeTrue();
        run.EndReason.ShouldBe(what == "stop" ? SessionEndReasons.Stopped : SessionEndReasons.Symptom);
        buffer.Take(withSamples: true).Events.ShouldContain(e => e.Kind == "deflate");
    }

    [Fact]
    public void Stop_MidSet_DeflatesBelow20MmHgAndEndsAsStopped()
    {
        var (run, buffer, wall) = Start(Limb.LeftLeg);
        RunFor(run, wall, 15);
        run.Stop("stopped by the user");
        run.IsEnded.ShouldBeTrue();
        run.EndReason.ShouldBe(SessionEndReasons.Stopped);
        run.LatestMmHg["left-leg"].ShouldBeLessThan(20);
        buffer.Take(withSamples: true).Events.ShouldContain(e => e.Kind == "stop");
    }

    [Fact]
    public void ReportSymptom_Numbness_DeflatesAndEndsAsSymptom()
    {
        var (run, buffer, wall) = Start(Limb.LeftLeg);
        RunFor(run, wall, 15);
        run.ReportSymptom("numbness", null);
        run.IsEnded.ShouldBeTrue();
        run.EndReason.ShouldBe(SessionEndReasons.Symptom);
        run.LatestMmHg["left-leg"].ShouldBeLessThan(20);
        buffer.Take(withSamples: true).Events.ShouldContain(e => e.Kind == "symptom");
    }

    [Fact]
    public void ReportSymptom_PainFiveOutOfTen_IsRecordedButTheSessionGoesOn()
    {
        var (run, _, wall) = Start(Limb.LeftLeg);
        RunFor(run, wall, 15);
        run.ReportSymptom("pain", 5);
        run.IsEnded.ShouldBeFalse();
        run.LatestMmHg["left-leg"].ShouldBeGreaterThan(100);
    }
}
