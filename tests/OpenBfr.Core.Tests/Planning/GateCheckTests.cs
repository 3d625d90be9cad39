using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Planning.Rehab;

namespace OpenBfr.Core.Tests.Planning;

public class GateCheckTests
{
    private static readonly DateOnly Surgery = new(2026, 9, 1);

    private static RunnerProfile Acl(params RehabTest[] tests) => new()
    {
        AgeYears = 24,
        Sex = OpenBfr.Core.Lop.Sex.Female,
        WeeklyKm = 30,
        AvailableDays = new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Saturday },
        Injury = new Injury(InjuryKind.AclReconstruction, Surgery, Side.Left),
        Tests = tests,
    };

    private static readonly RehabPathway Pathway = RehabPathways.For(InjuryKind.AclReconstruction);

    [Fact]
    public void CurrentStage_NoClearance_BeforeEntry()
    {
        GateCheck.CurrentStage(Pathway, Acl(), Surgery.AddDays(100)).ShouldBe(-1);
        GateCheck.Missing(Pathway.Stages[0].Gate, Acl(), Surgery.AddDays(3)).ShouldBe(["clinician clearance (none recorded)"]);
    }

    [Fact]
    public void CurrentStage_ClearedEarlyAndTimePassesButNoPainScore_StopsBeforeFullCircuit()
    {
        var p = Acl(new RehabTest(Surgery.AddDays(2), null, null, true));
        GateCheck.CurrentStage(Pathway, p, Surgery.AddDays(10)).ShouldBe(0);
        GateCheck.CurrentStage(Pathway, p, Surgery.AddDays(20)).ShouldBe(0); // low-load needs a clearance on or after day 14
        GateCheck.Missing(Pathway.Stages[1].Gate, p, Surgery.AddDays(20)).ShouldBe([$"clinician clearance recorded on or after {Surgery.AddDays(14):yyyy-MM-dd}"]);
    }

    [Fact]
    public void CurrentStage_ReturnToRun_NeedsLsiStrictlyAbove70()
    {
        RehabTest[] tests =
        [
            new(Surgery.AddDays(2), null, null, true),
            new(Surgery.AddDays(15), 1, null, true),
            new(Surgery.AddDays(90), 1, 70, true),
        ];
        var day = Surgery.AddDays(95);
        GateCheck.CurrentStage(Pathway, Acl(tests), day).ShouldBe(2);
        GateCheck.Missing(Pathway.Stages[3].Gate, Acl(tests), day).ShouldBe(["strength LSI > 70% (was 70% on 2026-11-30)"]);
        tests[2] = tests[2] with { StrengthLsiPercent = 70.5 };
        GateCheck.CurrentStage(Pathway, Acl(tests), day).ShouldBe(3);
    }

    [Fact]
    public void Missing_HopLsi_GatesReturnToSportOnlyAndOnlyOnceRecorded()
    {
        var rts = Pathway.Stages.Single(s => s.Id == "return-to-sport").Gate;
        var run = Pathway.Stages.Single(s => s.Id == "return-to-run").Gate;
        rts.MinHopLsiPercent.ShouldBe(90); // Grindem et al. 2016: strength and the hop battery
        run.MinHopLsiPercent.ShouldBeNull(); // Rambaud et al. 2018: strength LSI only
        RehabTest[] tests =
        [
            new(Surgery.AddDays(2), null, null, true),
            new(Surgery.AddDays(275), 1, 95, true),
        ];
        var day = Surgery.AddDays(300);
        GateCheck.Missing(rts, Acl(tests), day).ShouldBeEmpty("no hop test recorded: strength alone gates, as before hop tests were kept");
        tests[1] = tests[1] with { HopLsiPercent = 88 };
        GateCheck.Missing(rts, Acl(tests), day).ShouldBe(["hop LSI ≥ 90% (was 88% on 2027-06-03)"]);
        GateCheck.Missing(run, Acl(tests), day).ShouldBeEmpty("a hop LSI of 88% does not hold back starting to run");
        tests[1] = tests[1] with { HopLsiPercent = 90 };
        GateCheck.Missing(rts, Acl(tests), day).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_HopLsiOutOfRange_NamesTheTest()
    {
        var errors = Acl(new RehabTest(Surgery.AddDays(2), null, null, true, HopLsiPercent: 250)).Validate();
        errors.ShouldContain(e => e.Field == "tests[0].hopLsi" && e.Allowed == "0–200 %");
    }

    [Fact]
    public void CurrentStage_PainReturns_StageRegresses()
    {
        RehabTest[] tests =
        [
            new(Surgery.AddDays(2), null, null, true),
            new(Surgery.AddDays(15), 1, null, true),
            new(Surgery.AddDays(60), 4, null, null),
        ];
        GateCheck.CurrentStage(Pathway, Acl(tests), Surgery.AddDays(50)).ShouldBe(2);
        GateCheck.CurrentStage(Pathway, Acl(tests), Surgery.AddDays(61)).ShouldBe(1);
        GateCheck.Missing(Pathway.Stages[2].Gate, Acl(tests), Surgery.AddDays(61)).ShouldBe([$"pain < 2/10 (was 4/10 on {Surgery.AddDays(60):yyyy-MM-dd})"]);
    }

    [Fact]
    public void CurrentStage_ReturnToSport_NeedsNineMonthsAndLsi90()
    {
        // Grindem et al. 2016: return to sport after 9 months with LSI ≥ 90%.
        RehabTest[] tests =
        [
            new(Surgery.AddDays(2), null, null, true),
            new(Surgery.AddDays(15), 1, null, true),
            new(Surgery.AddDays(100), 1, 85, true),
            new(Surgery.AddDays(265), 0, 90, true),
        ];
        GateCheck.CurrentStage(Pathway, Acl(tests), Surgery.AddDays(269)).ShouldBe(3);
        GateCheck.CurrentStage(Pathway, Acl(tests), Surgery.AddDays(275)).ShouldBe(3); // clearance dated before day 270
        var cleared = tests.Append(new RehabTest(Surgery.AddDays(272), null, null, true)).ToArray();
        GateCheck.CurrentStage(Pathway, Acl(cleared), Surgery.AddDays(275)).ShouldBe(4);
    }

    [Fact]
    public void Missing_ClearanceWithheldLater_CountsAsNotCleared()
    {
        var p = Acl(new RehabTest(Surgery.AddDays(2), null, null, true), new RehabTest(Surgery.AddDays(5), null, null, false));
        GateCheck.Missing(Pathway.Stages[0].Gate, p, Surgery.AddDays(6)).ShouldBe([$"clinician clearance (withheld on {Surgery.AddDays(5):yyyy-MM-dd})"]);
    }
}
