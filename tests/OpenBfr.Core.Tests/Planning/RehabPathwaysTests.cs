using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Planning.Rehab;
using OpenBfr.Core.Protocols;

namespace OpenBfr.Core.Tests.Planning;

public class RehabPathwaysTests
{
    [Fact]
    public void All_EveryInjuryHasAPathwayWithStages()
    {
        foreach (var kind in Enum.GetValues<InjuryKind>())
        {
            var p = RehabPathways.For(kind);
            p.Injury.ShouldBe(kind);
            p.Stages.Count.ShouldBeGreaterThanOrEqualTo(3);
            p.Sources.ShouldNotBeEmpty();
        }
    }

    [Fact]
    public void All_ExercisesAreTheSeedsStrengthLowerExercises()
    {
        var seed = ProtocolCatalog.StrengthLower.Exercises.Select(e => e.Name).ToHashSet();
        seed.ShouldBe(["squat", "reverse-lunge", "step-up", "calf-raise", "standing-hamstring-curl"], ignoreOrder: true);
        RehabPathways.All.Values.SelectMany(p => p.Stages).SelectMany(s => s.Exercises).ShouldAllBe(e => seed.Contains(e));
    }

    [Fact]
    public void All_ReturnToRunNeedsPainBelow2AndLsiAbove70_ReturnToSportLsi90()
    {
        // Rambaud et al. 2018 (pain < 2/10, LSI > 70% to start running); Grindem 2016/2020 (LSI ≥ 90% to return to sport).
        foreach (var p in RehabPathways.All.Values)
        {
            var run = p.Stages.First(s => s.Running != RunningAllowance.None);
            run.Gate.PainBelow.ShouldBe(2, p.Title);
            if (run.Gate.MinStrengthLsiPercent is { } lsi)
            {
                lsi.ShouldBe(70);
                run.Gate.LsiStrictlyAbove.ShouldBeTrue();
            }
            var sport = p.Stages[^1];
            sport.Running.ShouldBe(RunningAllowance.Full);
            if (sport.Gate.MinStrengthLsiPercent is { } rts)
            {
                rts.ShouldBe(90);
                sport.Gate.LsiStrictlyAbove.ShouldBeFalse();
            }
        }
    }

    [Fact]
    public void All_PostOperativePathwaysStartWithClearanceAndNoRunning()
    {
        foreach (var kind in new[] { InjuryKind.MeniscusRepair, InjuryKind.AclReconstruction, InjuryKind.AchillesRupture, InjuryKind.StressFracture })
        {
            var p = RehabPathways.For(kind);
            p.PostOperative.ShouldBeTrue();
            p.Stages[0].Gate.ClinicianClearance.ShouldBeTrue();
            p.Stages[0].Running.ShouldBe(RunningAllowance.None);
            p.Stages[0].HeavyStrength.ShouldBeFalse();
        }
        RehabPathways.For(InjuryKind.AclReconstruction).Stages[0].PassiveBfrPerWeek.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void All_NonRunningStagesKeepAerobicFitnessWithBfrCyclingOrWalking()
    {
        foreach (var stage in RehabPathways.All.Values.SelectMany(p => p.Stages).Where(s => s.Running == RunningAllowance.None && s.PassiveBfrPerWeek == 0))
        {
            stage.AerobicBfrPerWeek.ShouldBeGreaterThan(0, stage.Id);
        }
    }

    [Fact]
    public void All_TimeGatesNeverGoBackwards()
    {
        foreach (var p in RehabPathways.All.Values)
        {
            var days = p.Stages.Select(s => s.Gate.MinDaysSinceInjury ?? 0).ToList();
            for (var i = 1; i < days.Count; i++) days[i].ShouldBeGreaterThanOrEqualTo(days[i - 1], p.Title);
        }
    }

    [Fact]
    public void Parse_UnknownExercise_NamesItAndTheAllowedOnes()
    {
        var json = RehabPathways.ReadResource().Replace("\"calf-raise\"", "\"leg-press\"", StringComparison.Ordinal);
        var e = Should.Throw<FormatException>(() => RehabPathways.Parse(json));
        e.Message.ShouldContain("exercise 'leg-press' must be one of");
    }

    [Fact]
    public void Parse_UnknownField_IsRefused()
    {
        var json = RehabPathways.ReadResource().Replace("\"heavyStrength\": false", "\"heavyStrenght\": false", StringComparison.Ordinal);
        Should.Throw<FormatException>(() => RehabPathways.Parse(json));
    }

    [Fact]
    public void Parse_MissingPathway_NamesTheInjury()
    {
        var json = RehabPathways.ReadResource().Replace("\"injury\": \"stress-fracture\"", "\"injury\": \"runners-knee\"", StringComparison.Ordinal);
        Should.Throw<FormatException>(() => RehabPathways.Parse(json)).Message.ShouldContain("defined twice");
    }
}
