using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Planning;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Tests.Planning;

public class PlannerExampleTests
{
    private static readonly DateOnly Start = new(2026, 12, 7); // a Monday
    private static readonly DateOnly Race = new(2027, 4, 25);  // a Sunday, in week 20

    private static RunnerProfile Marathoner() => new()
    {
        Name = "Ana",
        AgeYears = 38,
        Sex = Sex.Female,
        WeeklyKm = 60,
        Goal = new GoalRace(RaceDistance.Marathon, Race),
        AvailableDays = new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Saturday, DayOfWeek.Sunday },
        KeyWorkoutDays = new HashSet<DayOfWeek> { DayOfWeek.Tuesday, DayOfWeek.Thursday },
        LongRunDay = DayOfWeek.Sunday,
        Cuffs = [CuffDescription.StandardLeg, CuffDescription.StandardLeg],
        Lops =
        [
            new LimbOcclusionPressure(Pressure.FromMmHg(210), Limb.LeftLeg, BodyPosition.Standing, CuffDescription.StandardLeg, LopMethod.Doppler, new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)),
            new LimbOcclusionPressure(Pressure.FromMmHg(220), Limb.RightLeg, BodyPosition.Standing, CuffDescription.StandardLeg, LopMethod.Doppler, new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero)),
        ],
    };

    [Fact]
    public void Build_Marathoner_StrengthAfterKeyWorkoutsAndNotBeforeTheLongRun()
    {
        var plan = Planner.Build(new PlanRequest(Marathoner(), Start, 20));
        var week1 = plan.Weeks[0];
        week1.Phase.ShouldBe(PlanPhase.Base);
        var strength = week1.Sessions.Where(s => s.Kind == SessionKind.StrengthBfr).ToList();
        strength.Select(s => s.Date.DayOfWeek).ShouldBe([DayOfWeek.Tuesday, DayOfWeek.Thursday]);
        strength[0].Reason.ShouldBe("strength BFR after the key workout: base phase, 1 of 2 this week (2–3x/week, seed)");
        strength[0].Order.ShouldBe(1);
        week1.Notes.ShouldContain("Sat 12-12: no strength BFR: long run tomorrow");
        week1.Notes.ShouldContain("Mon 12-07: no strength BFR: key workout tomorrow");
        week1.Sessions.Count(s => s.Kind == SessionKind.HeavyStrength).ShouldBe(1);
        week1.Sessions.Count(s => s.Kind == SessionKind.RecoveryBfr).ShouldBe(1);
    }

    [Fact]
    public void Build_Marathoner_PhasesRunBaseBuildPeakTaperRace()
    {
        var plan = Planner.Build(new PlanRequest(Marathoner(), Start, 22));
        // 20 weeks to race week: 2 taper + 2 peak; the 15 weeks before split 7 base / 8 build.
        var phases = plan.Weeks.Select(w => w.Phase).ToList();
        phases.Take(7).ShouldAllBe(p => p == PlanPhase.Base);
        phases.Skip(7).Take(8).ShouldAllBe(p => p == PlanPhase.Build);
        phases.Skip(15).Take(2).ShouldAllBe(p => p == PlanPhase.Peak);
        phases.Skip(17).Take(2).ShouldAllBe(p => p == PlanPhase.Taper);
        phases[19].ShouldBe(PlanPhase.Race);
        phases[20].ShouldBe(PlanPhase.Recovery);
        plan.Weeks.Where(w => w.Deload).Select(w => w.Number).ShouldBe([4, 8, 12, 16]);
        plan.Weeks[3].Sessions.Where(s => s.Kind == SessionKind.RecoveryBfr).ShouldAllBe(s => s.Reason.StartsWith("recovery BFR walk: deload week"));
    }

    [Fact]
    public void Build_Marathoner_NoStrengthInTheFinalTenDays()
    {
        var plan = Planner.Build(new PlanRequest(Marathoner(), Start, 20));
        plan.Sessions.Where(s => s.Kind is SessionKind.StrengthBfr or SessionKind.HeavyStrength).Max(s => s.Date).ShouldBeLessThan(Race.AddDays(-10));
        var raceDay = plan.Sessions.Where(s => s.Date == Race).ShouldHaveSingleItem();
        raceDay.Kind.ShouldBe(SessionKind.Race);
        raceDay.DistanceKm.ShouldBe(42.195);
        plan.Weeks[18].Notes.ShouldContain(n => n.Contains("final 10 days before the race", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_FreshDopplerLop_PrescribesMmHgThroughCore()
    {
        var plan = Planner.Build(new PlanRequest(Marathoner(), Start, 2));
        var first = plan.Weeks[0].Sessions.First(s => s.Kind == SessionKind.StrengthBfr);
        // Lower-limb resistance default target 70% LOP (seed; Patterson 2019): 0.7 × 210 = 147, 0.7 × 220 = 154.
        first.Bfr!.Pressures.Select(p => (p.Limb, p.Target.MmHg)).ShouldBe([(Limb.LeftLeg, 147.0), (Limb.RightLeg, 154.0)]);
        first.Bfr.Pressures[0].High.MmHg.ShouldBe(168); // 80% of 210
        // A week later the 7-day LOP has expired: band only, with a note to re-measure.
        var later = plan.Weeks[1].Sessions.Last(s => s.Kind == SessionKind.StrengthBfr);
        later.Bfr!.Pressures.ShouldBeEmpty();
        later.Bfr.Notes.ShouldContain(n => n.StartsWith("measure standing LOP", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ImportedSpike_SaysSoAndShiftsWeekOneToRecovery()
    {
        var load = new ImportedLoad(Start.AddDays(-1), 1.62, 1.41);
        var plan = Planner.Build(new PlanRequest(Marathoner(), Start, 4, load));
        plan.Warnings.ShouldContain(w => w.StartsWith("imported load spike: ACWR EWMA 1.62 > 1.50", StringComparison.Ordinal) && w.Contains("not an injury prediction", StringComparison.Ordinal));
        var week1 = plan.Weeks[0];
        week1.Sessions.ShouldNotContain(s => s.Kind == SessionKind.StrengthBfr);
        var recovery = week1.Sessions.Where(s => s.Kind == SessionKind.RecoveryBfr).ToList();
        recovery.Count.ShouldBe(2);
        recovery.ShouldAllBe(s => s.Reason.Contains("imported load spike (ACWR EWMA 1.62 > 1.50", StringComparison.Ordinal));
        plan.Weeks[1].Sessions.Count(s => s.Kind == SessionKind.StrengthBfr).ShouldBe(2);
    }

    [Fact]
    public void Build_StaleHistory_WarnsAndDoesNotShift()
    {
        var plan = Planner.Build(new PlanRequest(Marathoner(), Start, 1, new ImportedLoad(Start.AddDays(-30), 1.9, 1.9)));
        plan.Warnings.ShouldContain(w => w.Contains("not acted on", StringComparison.Ordinal));
        plan.Weeks[0].Sessions.Count(s => s.Kind == SessionKind.StrengthBfr).ShouldBe(2);
    }

    [Fact]
    public void Build_AchillesTendinopathyWithPain_StaysInStageOneAndSaysWhy()
    {
        var profile = Marathoner() with
        {
            Injury = new Injury(InjuryKind.AchillesTendinopathy, new DateOnly(2026, 11, 10), Side.Right),
            Tests = [new RehabTest(new DateOnly(2026, 12, 1), 3, 75, null)],
        };
        var plan = Planner.Build(new PlanRequest(profile, Start, 3));
        plan.Warnings.ShouldContain(w => w.Contains("rehab pathway comes first", StringComparison.Ordinal));
        var week = plan.Weeks[0];
        week.RehabStage.ShouldBe("offload-strengthen");
        week.Notes.ShouldContain(n => n.Contains("pain < 2/10 (was 3/10 on 2026-12-01)", StringComparison.Ordinal));
        week.Sessions.ShouldNotContain(s => s.Kind.IsRun());
        week.Sessions.ShouldNotContain(s => s.Kind == SessionKind.HeavyStrength);
        week.Sessions.Count(s => s.Kind == SessionKind.StrengthBfr).ShouldBe(3);
        week.Sessions.Where(s => s.Kind == SessionKind.StrengthBfr).ShouldAllBe(s => s.Bfr!.Limbs.Single() == Limb.RightLeg);
        week.Sessions.Count(s => s.Kind == SessionKind.AerobicBfr).ShouldBe(2);
    }

    [Fact]
    public void Build_AchillesTendinopathyPainFreeStrong_ReturnsToEasyRunningWithHeavyStrength()
    {
        var profile = Marathoner() with
        {
            Injury = new Injury(InjuryKind.AchillesTendinopathy, new DateOnly(2026, 11, 10), Side.Right),
            Tests = [new RehabTest(new DateOnly(2026, 12, 1), 1, 78, null)],
        };
        var week = Planner.Build(new PlanRequest(profile, Start, 1)).Weeks[0];
        week.RehabStage.ShouldBe("return-to-run");
        week.Sessions.Where(s => s.Kind.IsRun()).ShouldAllBe(s => s.Kind == SessionKind.EasyRun);
        week.Sessions.Count(s => s.Kind == SessionKind.HeavyStrength).ShouldBe(1);
        week.Notes.ShouldContain(n => n.Contains("strength LSI ≥ 90% (was 78%", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_InvalidOptions_ListsEveryBadOption()
    {
        var e = Should.Throw<ProfileInvalidException>(() => Planner.Build(new PlanRequest(Marathoner(), Start, 4, Options: new PlannerOptions { StrengthBfrPerWeek = 5, TaperStrengthStopDays = 3 })));
        e.Errors.Select(x => x.Field).ShouldBe(["StrengthBfrPerWeek", "TaperStrengthStopDays"]);
        e.Message.ShouldContain("StrengthBfrPerWeek must be 2–3, was 5");
    }

    [Fact]
    public void Build_TooManyWeeks_NamesTheRange()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => Planner.Build(new PlanRequest(Marathoner(), Start, 200))).Message.ShouldContain("weeks must be 1–104");
    }
}
