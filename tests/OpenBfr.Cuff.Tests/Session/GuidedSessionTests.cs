using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Cuff.Safety;
using OpenBfr.Cuff.Session;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Cuff.Tests.Session;

public class GuidedSessionTests
{
    [Fact]
    public void Tick_StrengthLowerToTheEnd_RunsEveryExerciseSetRepAndReperfusion()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        h.RunToEnd().ShouldBeTrue();

        h.Session.Phase.ShouldBe(SessionPhase.Done);
        var e = h.Events;
        e.Events[0].Kind.ShouldBe(SessionEventKind.Start);
        e.Events[^1].Kind.ShouldBe(SessionEventKind.Done);
        e.Events[^1].Detail.ShouldBe("completed");
        // 5 exercises x 30-15-15-15 (ProtocolCatalog.StrengthLower).
        e.Count(SessionEventKind.Inflate).ShouldBe(5);
        e.Count(SessionEventKind.SetStart).ShouldBe(20);
        e.Count(SessionEventKind.SetEnd).ShouldBe(20);
        e.Count(SessionEventKind.Rep).ShouldBe(5 * 75);
        e.Count(SessionEventKind.RestStart).ShouldBe(15);
        e.Count(SessionEventKind.Deflate).ShouldBe(5);
        e.Count(SessionEventKind.Reperfusion).ShouldBe(4);
        e.Count(SessionEventKind.Fault).ShouldBe(0);
        h.Cuffs[0].Reps.ShouldBe(375);
        h.Cuffs[0].PressureMmHg.ShouldBeLessThan(20);
        // Planned time 5 x 4 min + 4 x 1 min = 24 min, plus inflations and deflations.
        h.Seconds.ShouldBeInRange(24 * 60, 24 * 60 + 5 * 15);
    }

    [Fact]
    public void Tick_Set_RepsFollowTheCadence()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        h.RunUntil(() => h.Events.Count(SessionEventKind.SetEnd) == 1).ShouldBeTrue();
        var reps = h.Events.Events.Where(x => x.Kind == SessionEventKind.Rep).ToList();
        reps.Count.ShouldBe(30);
        reps.Select(r => r.Rep).ShouldBe(Enumerable.Range(1, 30).Cast<int?>());
        var gaps = reps.Zip(reps.Skip(1), (a, b) => (b.At - a.At).TotalSeconds).ToList();
        gaps.ShouldAllBe(g => Math.Abs(g - ProtocolCatalog.SecondsPerRep) <= 0.011);
        reps.ShouldAllBe(r => r.Exercise == "squat" && r.Set == 1);
    }

    [Fact]
    public void Tick_RestBetweenSets_KeepsTheCuffOnAndBetweenExercises_DeflatesForAtLeastOneMinute()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        h.RunUntil(() => h.Session.Phase == SessionPhase.Rest).ShouldBeTrue();
        h.Session.TargetOf(0).MmHg.ShouldBe(140); // 70% of 200 (PressureRange: resistance leg default)
        h.RunUntil(() => h.Session.Phase == SessionPhase.Reperfusion).ShouldBeTrue();
        var start = h.Seconds;
        h.Session.TargetOf(0).MmHg.ShouldBe(0);
        h.RunUntil(() => h.Session.Phase == SessionPhase.Inflating).ShouldBeTrue();
        (h.Seconds - start).ShouldBeGreaterThanOrEqualTo(60);
        h.Events.Events.Last(x => x.Kind == SessionEventKind.Inflate).Exercise.ShouldBe("reverse-lunge");
    }

    [Fact]
    public void Tick_EveryTick_SendsTheHeartbeatToEveryCuff()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower, 0, null, (Limb.LeftLeg, 200), (Limb.RightLeg, 210));
        for (var i = 0; i < 500; i++) h.Step();
        h.Cuffs.ShouldAllBe(c => c.Heartbeats >= 500);
    }

    [Fact]
    public void Tick_TwoCuffs_EachHoldsItsOwnTarget()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower, 0, null, (Limb.LeftLeg, 200), (Limb.RightLeg, 180));
        h.RunUntil(() => h.Session.Phase == SessionPhase.Rest).ShouldBeTrue();
        h.Session.TargetOf(0).MmHg.ShouldBe(140);
        h.Session.TargetOf(1).MmHg.ShouldBe(126);
        h.Cuffs[0].PressureMmHg.ShouldBe(140, 10);
        h.Cuffs[1].PressureMmHg.ShouldBe(126, 10);
        h.Events.Samples.Select(s => s.Cuff).Distinct().ShouldBe(["left-leg", "right-leg"]);
    }

    [Fact]
    public void Tick_FaultOnOneOfTwoCuffs_DeflatesBothAndRecordsWhy()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower, 0, null, (Limb.LeftLeg, 200), (Limb.RightLeg, 200));
        h.RunUntil(() => h.Events.Count(SessionEventKind.Rep) == 5).ShouldBeTrue();
        h.Cuffs[1].SensorFrozen = true;
        h.RunToEnd(30).ShouldBeTrue();

        h.Session.Phase.ShouldBe(SessionPhase.Aborted);
        var fault = h.Events.Events.Single(x => x.Kind == SessionEventKind.Fault);
        fault.Cuff.ShouldBe("right-leg");
        fault.Detail!.ShouldStartWith("sensor-frozen");
        h.Cuffs.ShouldAllBe(c => c.Last == ActuatorCommand.Deflate);
        h.Cuffs[0].PressureMmHg.ShouldBeLessThan(20);
        h.Events.Events[^1].Detail!.ShouldStartWith("aborted: sensor-frozen");
    }

    [Fact]
    public void Pause_DuringASet_DeflatesAndResumeContinuesAtTheSameRep()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        h.RunUntil(() => h.Events.Count(SessionEventKind.Rep) == 10).ShouldBeTrue();
        h.Session.Pause().ShouldBeTrue();
        h.Cuffs[0].Last.ShouldBe(ActuatorCommand.Deflate);
        for (var i = 0; i < 2000; i++) h.Step(); // 20 s paused
        h.Session.Phase.ShouldBe(SessionPhase.Paused);
        h.Events.Count(SessionEventKind.Rep).ShouldBe(10);
        h.Cuffs[0].PressureMmHg.ShouldBeLessThan(20);

        h.Session.Resume().ShouldBeTrue();
        h.Session.Phase.ShouldBe(SessionPhase.Inflating);
        h.RunUntil(() => h.Events.Count(SessionEventKind.SetEnd) == 1).ShouldBeTrue();
        var reps = h.Events.Events.Where(x => x.Kind == SessionEventKind.Rep && x.Set == 1).Select(x => x.Rep!.Value).ToList();
        // The interrupted rep 10 starts again after the pause.
        reps.ShouldBe(Enumerable.Range(1, 10).Concat(Enumerable.Range(10, 21)));
        h.Cuffs[0].Reps.ShouldBeInRange(30, 31); // 31 when the pause came after rep 10 had begun in the cuff
        h.Events.Count(SessionEventKind.Pause).ShouldBe(1);
        h.Events.Count(SessionEventKind.Resume).ShouldBe(1);
    }

    [Fact]
    public void Pause_ShortPausesRepeated_DoNotResetTheContinuousInflationLimit()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        // Pause for 50 s at every 4th rep of the first exercise: each pause is under the 1 min
        // reperfusion, so the 10 min clock keeps running and the supervisor ends the session.
        var pauses = 0;
        h.RunUntil(() =>
        {
            if (h.Session.Phase == SessionPhase.Set && h.Session.Status.Rep % 4 == 0 && h.Session.Status.Rep > 0 && pauses < 20
                && h.Events.Events[^1].Kind == SessionEventKind.Rep)
            {
                h.Session.Pause();
                pauses++;
                for (var i = 0; i < 5000; i++) h.Step();
                h.Session.Resume();
            }
            return h.Session.IsFinished;
        }).ShouldBeTrue();
        var fault = h.Events.Events.Single(x => x.Kind == SessionEventKind.Fault);
        fault.Detail!.ShouldStartWith("continuous-inflation");
        h.Events.Events.First(x => x.Kind == SessionEventKind.Fault).At.ShouldBeGreaterThan(h.Events.Events[0].At + TimeSpan.FromMinutes(10));
    }

    [Theory]
    [InlineData("numbness")]
    [InlineData("tingling")]
    [InlineData("dizziness")]
    [InlineData("skin-colour-change")]
    [InlineData("pain:8")]
    public void ReportSymptom_ThatRequiresDeflation_DeflatesNowAndEnds(string text)
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower, 0, null, (Limb.LeftLeg, 200), (Limb.RightLeg, 200));
        h.RunUntil(() => h.Events.Count(SessionEventKind.Rep) == 3).ShouldBeTrue();
        SymptomReport.TryParse(text, out var symptom).ShouldBeTrue();
        h.Session.ReportSymptom(symptom!).ShouldBeTrue();
        h.Cuffs.ShouldAllBe(c => c.Last == ActuatorCommand.Deflate);
        var start = h.Seconds;
        h.RunToEnd(10).ShouldBeTrue();
        (h.Seconds - start).ShouldBeLessThan(1);
        h.Cuffs.ShouldAllBe(c => c.PressureMmHg < 20);
        h.Session.Phase.ShouldBe(SessionPhase.Aborted);
        h.Events.Events.ShouldContain(x => x.Kind == SessionEventKind.Symptom && x.Detail == symptom!.ToString());
        h.Events.Events.Single(x => x.Kind == SessionEventKind.Fault).Detail!.ShouldStartWith("symptom:");
    }

    [Fact]
    public void ReportSymptom_Pain5_IsRecordedAndTheSessionGoesOn()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        h.RunUntil(() => h.Events.Count(SessionEventKind.Rep) == 3).ShouldBeTrue();
        h.Session.ReportSymptom(new SymptomReport(SymptomKind.Pain, 5)).ShouldBeFalse();
        h.Session.Phase.ShouldBe(SessionPhase.Set);
        h.Events.Events[^1].Detail.ShouldBe("pain 5/10");
    }

    /// <summary>A stop or symptom pressed before the first tick (the web app's stop right after start) ends the session at once; it once hung the next tick.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StopOrSymptom_BeforeTheFirstTick_EndsAtOnceAndTheNextTicksFinish(bool symptom)
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        if (symptom)
        {
            h.Session.ReportSymptom(new SymptomReport(SymptomKind.Numbness)).ShouldBeTrue();
        }
        else
        {
            h.Session.Stop("pressed at once");
        }
        h.Cuffs.ShouldAllBe(c => c.Last == ActuatorCommand.Deflate);
        h.RunToEnd(5).ShouldBeTrue();
        h.Session.Phase.ShouldBe(symptom ? SessionPhase.Aborted : SessionPhase.Stopped);
        h.Events.Samples.Count.ShouldBeInRange(1, 60, "telemetry every 100 ms from the first tick, not a catch-up from year 1");
        h.Events.Samples.Select(x => x.At).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Fact]
    public void Stop_Midway_DeflatesAndEndsStopped()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        h.RunUntil(() => h.Events.Count(SessionEventKind.Rep) == 3).ShouldBeTrue();
        h.Session.Stop("athlete pressed stop");
        h.RunToEnd(10).ShouldBeTrue();
        h.Session.Phase.ShouldBe(SessionPhase.Stopped);
        h.Events.Events.ShouldContain(x => x.Kind == SessionEventKind.Stop && x.Detail == "athlete pressed stop");
        h.Events.Events[^1].Detail.ShouldBe("stopped: athlete pressed stop");
        h.Cuffs[0].PressureMmHg.ShouldBeLessThan(20);
    }

    [Fact]
    public void Tick_AerobicWalk_IsOneTimedWorkStep()
    {
        var h = new SessionHarness(ProtocolCatalog.AerobicWalk);
        h.RunToEnd().ShouldBeTrue();
        h.Events.Count(SessionEventKind.WorkStart).ShouldBe(1);
        h.Events.Count(SessionEventKind.WorkEnd).ShouldBe(1);
        var start = h.Events.Events.Single(x => x.Kind == SessionEventKind.WorkStart).At;
        var end = h.Events.Events.Single(x => x.Kind == SessionEventKind.WorkEnd).At;
        (end - start).TotalMinutes.ShouldBe(15, 0.001);
        h.Session.TargetOf(0).MmHg.ShouldBe(0);
        h.Events.Events[^1].Detail.ShouldBe("completed");
    }

    [Fact]
    public void Tick_PassiveCycles_DeflateDuringOffRests()
    {
        var h = new SessionHarness(ProtocolCatalog.Passive);
        h.RunToEnd().ShouldBeTrue();
        h.Events.Count(SessionEventKind.WorkStart).ShouldBe(5);
        h.Events.Count(SessionEventKind.Inflate).ShouldBe(5);
        h.Events.Count(SessionEventKind.Deflate).ShouldBe(5);
        h.Events.Events.Where(x => x.Kind == SessionEventKind.RestStart).ShouldAllBe(x => x.Detail!.EndsWith("cuff off", StringComparison.Ordinal));
        h.Events.Count(SessionEventKind.Fault).ShouldBe(0);
    }

    [Fact]
    public void Tick_SprintRecovery_CuffOnlyInRecovery()
    {
        var h = new SessionHarness(ProtocolCatalog.SprintRecovery);
        h.RunToEnd().ShouldBeTrue();
        h.Events.Count(SessionEventKind.WorkStart).ShouldBe(12);
        h.Events.Count(SessionEventKind.Inflate).ShouldBe(6);
        h.Events.Events[^1].Detail.ShouldBe("completed");
        // While sprinting (cuff-off work) the target is zero.
        h.Events.Samples.Where(s => s.Phase == SessionPhase.Work).Select(s => s.TargetMmHg).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public void Tick_PumpDead_AbortsWithinHalfASecondOfInflating()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        h.Cuffs[0].PumpDead = true;
        h.RunToEnd(60).ShouldBeTrue();
        var fault = h.Events.Events.Single(x => x.Kind == SessionEventKind.Fault);
        fault.Detail!.ShouldStartWith("pump-failure");
        (fault.At - h.Events.Events[0].At).TotalSeconds.ShouldBeLessThanOrEqualTo(0.5);
    }

    [Fact]
    public void Constructor_CuffsWithDifferentProtocols_Throws()
    {
        var a = new SessionHarness(ProtocolCatalog.StrengthLower);
        var b = new SessionHarness(ProtocolCatalog.AerobicWalk);
        var ex = Should.Throw<ArgumentException>(() => new GuidedSession([a.Session.Cuffs[0], b.Session.Cuffs[0] with { }], a.Clock));
        ex.Message.ShouldContain("one protocol");
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsThem()
    {
        var ex = Should.Throw<ArgumentException>(() => new SessionHarness(ProtocolCatalog.StrengthLower, 0,
            new SessionOptions { TelemetryInterval = TimeSpan.FromSeconds(5), Safety = new SafetySupervisorOptions { StaleAfter = TimeSpan.FromSeconds(2) } }));
        ex.Message.ShouldContain("TelemetryInterval must be 0.01–1 s, was 5 s");
        ex.Message.ShouldContain("Safety.StaleAfter");
    }

    [Fact]
    public void Status_DuringASet_ShowsExerciseSetRepAndCountdown()
    {
        var h = new SessionHarness(ProtocolCatalog.StrengthLower);
        h.RunUntil(() => h.Events.Count(SessionEventKind.Rep) == 4).ShouldBeTrue();
        var s = h.Session.Status;
        s.Phase.ShouldBe(SessionPhase.Set);
        s.Exercise.ShouldBe("squat");
        s.ExerciseNumber.ShouldBe(1);
        s.ExerciseCount.ShouldBe(5);
        s.Set.ShouldBe(1);
        s.Rep.ShouldBe(4);
        s.Reps.ShouldBe(30);
        s.Remaining.TotalSeconds.ShouldBe(60 - 6, 0.05);
    }
}
