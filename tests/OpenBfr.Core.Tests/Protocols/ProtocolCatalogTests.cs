using OpenBfr.Core.Limbs;
using OpenBfr.Core.Protocols;
using OpenBfr.Core.Safety;

namespace OpenBfr.Core.Tests.Protocols;

public class ProtocolCatalogTests
{
    [Fact]
    public void All_EveryProtocolWithinInflationLimitsAndSourced()
    {
        foreach (var p in ProtocolCatalog.All)
        {
            p.MaxContinuousInflation.ShouldBeLessThanOrEqualTo(SafetyLimits.MaxContinuousInflation(p.InflationKind), p.Name);
            p.MaxContinuousInflation.ShouldBeLessThanOrEqualTo(SafetyLimits.AbsoluteMaxContinuousInflation, p.Name);
            p.Sources.ShouldNotBeEmpty(p.Name);
            if (p.Exercises.Count > 1) p.DeflationBetweenExercises.ShouldBeGreaterThanOrEqualTo(SafetyLimits.MinDeflation, p.Name);
        }
    }

    [Fact]
    public void All_NamesAreUnique() => ProtocolCatalog.All.Select(p => p.Name).Distinct().Count().ShouldBe(ProtocolCatalog.All.Count);

    [Fact]
    public void StrengthLower_IsTheSeedCircuitAt30151515()
    {
        var p = ProtocolCatalog.StrengthLower;
        p.Exercises.Select(e => e.Name).ShouldBe(["squat", "reverse-lunge", "step-up", "calf-raise", "standing-hamstring-curl"]);
        foreach (var e in p.Exercises)
        {
            e.Steps.Where(s => s.Kind == StepKind.Set).Select(s => s.Reps).ShouldBe([30, 15, 15, 15]);
            e.Steps.Where(s => s.Kind == StepKind.Rest).ShouldAllBe(s => s.Duration == TimeSpan.FromSeconds(30) && s.CuffInflated);
            // 75 reps × 2 s + 3 × 30 s = 4 min with the cuff on.
            e.LongestContinuousInflation.ShouldBe(TimeSpan.FromMinutes(4));
        }
        p.DeflationBetweenExercises.ShouldBe(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void StrengthLower_EveryExerciseIsDoneStanding()
    {
        // Its pressure comes from a standing LOP only, so no exercise may be done lying or seated:
        // a standing LOP's 80% (242 mmHg mean, Hughes et al. 2018) is above a typical supine LOP (187).
        ProtocolCatalog.StrengthLower.Positions.ShouldBe([BodyPosition.Standing]);
        var names = ProtocolCatalog.StrengthLower.Exercises.Select(e => e.Name).ToList();
        names.ShouldNotContain("hamstring-bridge");
        foreach (var e in ProtocolCatalog.StrengthLower.Exercises)
        {
            // Each description names how it is done: standing, or a move that is (squat, lunge, step-up).
            (e.Description.Contains("Standing", StringComparison.OrdinalIgnoreCase) || e.Name is "squat" or "reverse-lunge" or "step-up")
                .ShouldBeTrue($"{e.Name}: {e.Description}");
            e.Description.ShouldNotContain("lying", Case.Insensitive);
            e.Description.ShouldNotContain("bridge", Case.Insensitive);
            e.Description.ShouldNotContain("seated", Case.Insensitive);
        }
    }

    [Theory]
    [InlineData("strength-lower", new[] { BodyPosition.Standing })]
    [InlineData("strength-upper", new[] { BodyPosition.Standing, BodyPosition.Seated })]
    [InlineData("aerobic-walk", new[] { BodyPosition.Standing })]
    [InlineData("aerobic-cycle", new[] { BodyPosition.Seated })]
    [InlineData("walk-intervals", new[] { BodyPosition.Standing })]
    [InlineData("cycling", new[] { BodyPosition.Seated })]
    [InlineData("passive", new[] { BodyPosition.Supine, BodyPosition.Seated })]
    [InlineData("sprint-recovery", new[] { BodyPosition.Standing })]
    public void Positions_EachProtocolDeclaresWhereItIsDone(string name, BodyPosition[] positions)
    {
        ProtocolCatalog.TryGet(name, out var p).ShouldBeTrue();
        p.Positions.ShouldBe(positions);
        p.UsualPosition.ShouldBe(positions[0]);
    }

    [Fact]
    public void Positions_EveryProtocolDeclaresSome()
    {
        foreach (var p in ProtocolCatalog.All)
        {
            p.Positions.ShouldNotBeEmpty(p.Name);
            p.Positions.Distinct().Count().ShouldBe(p.Positions.Count, p.Name);
        }
        // Every catalog test above names each protocol once.
        ProtocolCatalog.All.Count.ShouldBe(8);
    }

    [Fact]
    public void Protocol_WithoutPositions_Refused()
        => Should.Throw<ArgumentException>(() => new Protocol("t", "t", Modality.Passive, null, [],
            [new ProtocolExercise("e", "e", [ProtocolStep.Work(TimeSpan.FromMinutes(5))])], TimeSpan.FromMinutes(1), "load", "freq", ["src"])).ParamName.ShouldBe("positions");

    [Fact]
    public void Protocol_APositionTwice_Refused()
        => Should.Throw<ArgumentException>(() => new Protocol("t", "t", Modality.Passive, null, [BodyPosition.Seated, BodyPosition.Seated],
            [new ProtocolExercise("e", "e", [ProtocolStep.Work(TimeSpan.FromMinutes(5))])], TimeSpan.FromMinutes(1), "load", "freq", ["src"])).ParamName.ShouldBe("positions");

    [Theory]
    [InlineData("passive", new BodyPosition[0], BodyPosition.Supine)]
    [InlineData("passive", new[] { BodyPosition.Standing }, BodyPosition.Supine)]
    [InlineData("passive", new[] { BodyPosition.Seated }, BodyPosition.Seated)]
    [InlineData("passive", new[] { BodyPosition.Seated, BodyPosition.Supine }, BodyPosition.Supine)]
    [InlineData("strength-upper", new[] { BodyPosition.Seated }, BodyPosition.Seated)]
    [InlineData("cycling", new[] { BodyPosition.Standing, BodyPosition.Supine }, BodyPosition.Seated)]
    public void PositionFor_FirstOfTheProtocolsPositionsWithALop_ElseTheUsual(string name, BodyPosition[] measured, BodyPosition expected)
    {
        ProtocolCatalog.TryGet(name, out var p).ShouldBeTrue();
        p.PositionFor(measured).ShouldBe(expected);
    }

    [Fact]
    public void WalkIntervals_FiveByThreeMinutesWithOneMinuteRest_Park2010()
    {
        var e = ProtocolCatalog.WalkIntervals.Exercises.Single();
        e.Steps.Count(s => s.Kind == StepKind.Work && s.Duration == TimeSpan.FromMinutes(3)).ShouldBe(5);
        e.Steps.Count(s => s.Kind == StepKind.Rest && s.Duration == TimeSpan.FromMinutes(1)).ShouldBe(4);
        ProtocolCatalog.WalkIntervals.Sources.ShouldContain(Sources.Park2010);
    }

    [Fact]
    public void Cycling_FifteenMinutes_Abe2010()
    {
        ProtocolCatalog.Cycling.Exercises.Single().Duration.ShouldBe(TimeSpan.FromMinutes(15));
        ProtocolCatalog.Cycling.Sources.ShouldContain(Sources.Abe2010);
    }

    [Fact]
    public void Passive_FiveMinutesOnThreeOff()
    {
        var steps = ProtocolCatalog.Passive.Exercises.Single().Steps;
        steps.Where(s => s.Kind == StepKind.Work).ShouldAllBe(s => s.Duration == TimeSpan.FromMinutes(5) && s.CuffInflated);
        steps.Where(s => s.Kind == StepKind.Rest).ShouldAllBe(s => s.Duration == TimeSpan.FromMinutes(3) && !s.CuffInflated);
    }

    [Fact]
    public void SprintRecovery_TwoMinutesCuffOnPerRecovery()
        => ProtocolCatalog.SprintRecovery.MaxContinuousInflation.ShouldBe(TimeSpan.FromMinutes(2));

    [Theory]
    [InlineData("STRENGTH-LOWER", "strength-lower")]
    [InlineData("walk-intervals", "walk-intervals")]
    public void TryGet_CaseInsensitive(string name, string expected)
    {
        ProtocolCatalog.TryGet(name, out var p).ShouldBeTrue();
        p.Name.ShouldBe(expected);
    }

    [Fact]
    public void TryGet_Unknown_False() => ProtocolCatalog.TryGet("nope", out _).ShouldBeFalse();

    [Fact]
    public void For_ResistanceByLimbKind()
    {
        ProtocolCatalog.For(Modality.Resistance, LimbKind.Arm).ShouldBe(ProtocolCatalog.StrengthUpper);
        ProtocolCatalog.For(Modality.Resistance, LimbKind.Leg).ShouldBe(ProtocolCatalog.StrengthLower);
    }

    private static Protocol Make(Modality modality, IReadOnlyList<ProtocolStep> steps, int exercises = 1, double deflationMinutes = 1)
        => new("t", "t", modality, LimbKind.Leg, [BodyPosition.Standing],
            Enumerable.Range(0, exercises).Select(i => new ProtocolExercise($"e{i}", "e", steps)).ToList(),
            TimeSpan.FromMinutes(deflationMinutes), "load", "freq", ["src"]);

    [Fact]
    public void Protocol_ResistanceInflatedOverTenMinutes_Refused()
        => Should.Throw<SafetyLimitExceededException>(() => Make(Modality.Resistance, [ProtocolStep.Work(TimeSpan.FromMinutes(10.5))]))
            .Limit.ShouldBe(SafetyLimit.ContinuousInflation);

    [Fact]
    public void Protocol_AerobicTwentyMinutes_Allowed()
        => Make(Modality.Aerobic, [ProtocolStep.Work(TimeSpan.FromMinutes(20))]).MaxContinuousInflation.ShouldBe(TimeSpan.FromMinutes(20));

    [Fact]
    public void Protocol_AerobicOverTwentyMinutes_Refused()
        => Should.Throw<SafetyLimitExceededException>(() => Make(Modality.Aerobic, [ProtocolStep.Work(TimeSpan.FromMinutes(21))]));

    [Fact]
    public void Protocol_InflatedRestsCountAsContinuous_Refused()
        => Should.Throw<SafetyLimitExceededException>(() => Make(Modality.Resistance,
            [ProtocolStep.Work(TimeSpan.FromMinutes(5)), ProtocolStep.Rest(TimeSpan.FromMinutes(1), cuffInflated: true), ProtocolStep.Work(TimeSpan.FromMinutes(5))]));

    [Fact]
    public void Protocol_DeflatedRestResetsTheClock_Allowed()
        => Make(Modality.Resistance,
            [ProtocolStep.Work(TimeSpan.FromMinutes(8)), ProtocolStep.Rest(TimeSpan.FromMinutes(1), cuffInflated: false), ProtocolStep.Work(TimeSpan.FromMinutes(8))])
            .MaxContinuousInflation.ShouldBe(TimeSpan.FromMinutes(8));

    [Fact]
    public void Protocol_DeflatedRestUnderOneMinute_Refused()
        => Should.Throw<SafetyLimitExceededException>(() => Make(Modality.Resistance,
            [ProtocolStep.Work(TimeSpan.FromMinutes(2)), ProtocolStep.Rest(TimeSpan.FromSeconds(30), cuffInflated: false), ProtocolStep.Work(TimeSpan.FromMinutes(2))]))
            .Limit.ShouldBe(SafetyLimit.Deflation);

    [Fact]
    public void Protocol_DeflationBetweenExercisesUnderOneMinute_Refused()
        => Should.Throw<SafetyLimitExceededException>(() => Make(Modality.Resistance, [ProtocolStep.Set(15, 2)], exercises: 2, deflationMinutes: 0.5));

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Set_RepsOutOfRange_Throws(int reps) => Should.Throw<ArgumentOutOfRangeException>(() => ProtocolStep.Set(reps, 2));
}
