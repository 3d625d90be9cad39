using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Planning.Profile;

namespace OpenBfr.Core.Tests.Planning;

public class RunnerProfileParserTests
{
    private static RunnerProfileDocument Valid() => new()
    {
        Name = "Ana",
        Age = "38",
        Sex = "female",
        WeeklyKm = "55",
        Goal = new GoalRaceDocument { Distance = "marathon", Date = "2027-04-18" },
        AvailableDays = ["mon", "tue", "Thursday", "sat", "sun"],
        KeyWorkoutDays = ["tue", "thu"],
        LongRunDay = "sun",
        Cuffs = [new CuffDocument { Limb = "leg", WidthCm = "11.5" }],
        Lops = [new LopDocument { Limb = "left-leg", MmHg = "210", Position = "standing", Method = "doppler", Measured = "2026-12-05" }],
        Tests = [new RehabTestDocument { Date = "2026-12-01", Pain = "1", StrengthLsi = "92.5", Clearance = "true" }],
        OneRepMax = [new OneRepMaxDocument { Exercise = "squat", Kg = "100" }],
    };

    [Fact]
    public void Parse_ValidDocument_ReadsEveryField()
    {
        var p = RunnerProfileParser.Parse(Valid());
        p.AgeYears.ShouldBe(38);
        p.Sex.ShouldBe(Sex.Female);
        p.WeeklyKm.ShouldBe(55);
        p.Goal!.Distance.ShouldBe(RaceDistance.Marathon);
        p.Goal.DistanceKm.ShouldBe(42.195);
        p.AvailableDays.ShouldBe([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Saturday, DayOfWeek.Sunday], ignoreOrder: true);
        p.LongRunDay.ShouldBe(DayOfWeek.Sunday);
        p.Lops.Single().Value.MmHg.ShouldBe(210);
        p.Lops.Single().Cuff.WidthCm.ShouldBe(11.5);
        p.Lops.Single().Position.ShouldBe(BodyPosition.Standing);
        p.Tests.Single().StrengthLsiPercent.ShouldBe(92.5);
        p.Tests.Single().ClinicianClearance.ShouldBe(true);
        p.OneRepMaxes.Single().Kilograms.ShouldBe(100);
        p.Injury.ShouldBeNull();
    }

    [Fact]
    public void Parse_ManyBadFields_ReportsEachWithFieldValueAndAllowed()
    {
        var doc = Valid();
        doc.Age = "7";
        doc.Sex = "x";
        doc.WeeklyKm = "lots";
        doc.LongRunDay = "tue";
        doc.Goal!.Date = "2027-13-01";
        doc.Injury = new InjuryDocument { Kind = "broken-heart", Date = "2026-11-01", Side = "left" };
        var e = Should.Throw<ProfileInvalidException>(() => RunnerProfileParser.Parse(doc));
        e.Errors.ShouldContain(x => x.Field == "age" && x.Value == "7" && x.Allowed == "14–99 years");
        e.Errors.ShouldContain(x => x.Field == "sex" && x.Value == "'x'");
        e.Errors.ShouldContain(x => x.Field == "weeklyKm" && x.Value == "'lots'" && x.Allowed == "0–300 km");
        e.Errors.ShouldContain(x => x.Field == "goal.date" && x.Allowed.Contains("yyyy-MM-dd"));
        e.Errors.ShouldContain(x => x.Field == "longRunDay" && x.Allowed == "a day that is not a key-workout day");
        e.Errors.ShouldContain(x => x.Field == "injury.kind" && x.Allowed.Contains("achilles-tendinopathy"));
        e.Message.ShouldContain("age must be 14–99 years, was 7");
    }

    [Fact]
    public void Parse_KeyWorkoutDayNotAvailable_NamesTheDay()
    {
        var doc = Valid();
        doc.KeyWorkoutDays = ["wed"];
        var e = Should.Throw<ProfileInvalidException>(() => RunnerProfileParser.Parse(doc));
        e.Errors.ShouldHaveSingleItem().ShouldBe(new ProfileError("keyWorkoutDays", "Wednesday", "one of the available days"));
    }

    [Fact]
    public void Parse_MissingRequiredFields_ReportsMissing()
    {
        var e = Should.Throw<ProfileInvalidException>(() => RunnerProfileParser.Parse(new RunnerProfileDocument()));
        e.Errors.Select(x => x.Field).ShouldBe(["age", "sex", "weeklyKm", "availableDays"], ignoreOrder: true);
        e.Errors.ShouldAllBe(x => x.Value == "(missing)");
    }

    [Fact]
    public void Parse_EstimatedLopWithoutUncertainty_IsRefused()
    {
        var doc = Valid();
        doc.Lops![0].Method = "estimated";
        var e = Should.Throw<ProfileInvalidException>(() => RunnerProfileParser.Parse(doc));
        e.Errors.ShouldHaveSingleItem().Field.ShouldBe("lops[0].uncertaintyMmHg");
    }

    [Fact]
    public void Parse_LopWithoutAnyCuff_AsksForTheCuffWidth()
    {
        var doc = Valid();
        doc.Cuffs = null;
        var e = Should.Throw<ProfileInvalidException>(() => RunnerProfileParser.Parse(doc));
        e.Errors.ShouldHaveSingleItem().Field.ShouldBe("lops[0].cuffWidthCm");
    }

    [Fact]
    public void Parse_LopOutOfRange_NamesTheRange()
    {
        var doc = Valid();
        doc.Lops![0].MmHg = "450";
        var e = Should.Throw<ProfileInvalidException>(() => RunnerProfileParser.Parse(doc));
        e.Errors.ShouldHaveSingleItem().ShouldBe(new ProfileError("lops[0].mmHg", "450", "50–400 mmHg"));
    }

    [Fact]
    public void Parse_BadTestValues_NameTheIndexedField()
    {
        var doc = Valid();
        doc.Tests = [new RehabTestDocument { Date = "2026-12-01", Pain = "11", StrengthLsi = "250", HopLsi = "-3", Clearance = "maybe" }];
        var e = Should.Throw<ProfileInvalidException>(() => RunnerProfileParser.Parse(doc));
        e.Errors.Select(x => x.Field).ShouldBe(["tests[0].clearance", "tests[0].pain", "tests[0].strengthLsi", "tests[0].hopLsi"], ignoreOrder: true);
    }

    [Fact]
    public void Parse_HopLsi_KeptApartFromStrength()
    {
        var doc = Valid();
        doc.Tests = [new RehabTestDocument { Date = "2026-12-01", StrengthLsi = "95", HopLsi = "88" }];
        var test = RunnerProfileParser.Parse(doc).Tests!.ShouldHaveSingleItem();
        (test.StrengthLsiPercent, test.HopLsiPercent).ShouldBe((95.0, 88.0));
    }

    [Theory]
    [InlineData("acl-reconstruction", InjuryKind.AclReconstruction)]
    [InlineData("runners-knee", InjuryKind.RunnersKnee)]
    [InlineData("it_band_syndrome", InjuryKind.ItBandSyndrome)]
    [InlineData("StressFracture", InjuryKind.StressFracture)]
    public void TryParseInjury_KebabOrEnumName_Parses(string text, InjuryKind expected)
    {
        RunnerProfileParser.TryParseInjury(text, out var kind).ShouldBeTrue();
        kind.ShouldBe(expected);
        RunnerProfileParser.TryParseInjury(kind.ToKebab(), out var again).ShouldBeTrue();
        again.ShouldBe(expected);
    }

    [Theory]
    [InlineData("5k", RaceDistance.FiveK)]
    [InlineData("half-marathon", RaceDistance.HalfMarathon)]
    [InlineData("Marathon", RaceDistance.Marathon)]
    public void TryParseDistance_CommonNames_Parse(string text, RaceDistance expected)
    {
        RunnerProfileParser.TryParseDistance(text, out var d).ShouldBeTrue();
        d.ShouldBe(expected);
    }

    [Fact]
    public void MaxHeartRateOrEstimate_NoRecordedValue_UsesTanaka()
    {
        // Tanaka et al. 2001: 208 − 0.7 × 40 = 180.
        var p = RunnerProfileParser.Parse(Valid()) with { AgeYears = 40 };
        p.MaxHeartRateOrEstimate.ShouldBe(180);
    }
}
