using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;

namespace OpenBfr.Core.Tests.Screening;

/// <summary>
/// PAR-Q+ (Warburton et al.; the CSEP PAR-Q): a clearance "is valid for a maximum of 12 months from the date
/// it is completed". Read as calendar months: done on d, expired from d.AddMonths(12).
/// </summary>
public class ScreeningValidityTests
{
    private static Dictionary<string, ItemAnswer> DiabetesOnly()
        => Questionnaire.Default.YesNoItems.ToDictionary(i => i.Id, i => i.Id == "diabetes" ? ItemAnswer.YesAnswer : ItemAnswer.No);

    private static ScreeningResult Evaluate(DateOnly clearedOn, DateOnly today, IReadOnlyList<Limb>? limbs = null)
        => Screener.Evaluate(new ScreeningAnswers(45, 124, 80, DiabetesOnly(), new ClinicianClearance("Dr A. Physio", clearedOn, ["diabetes"], limbs)), today: today);

    [Fact]
    public void ValidMonths_IsTheParqPlusTwelveMonths()
    {
        ScreeningValidity.ValidMonths.ShouldBe(12);
        ScreeningValidity.Source.ShouldContain("valid for a maximum of 12 months from the date it is completed");
    }

    [Theory]
    [InlineData("2025-01-10", "2026-01-10")]
    [InlineData("2025-02-28", "2026-02-28")]
    [InlineData("2024-02-29", "2025-02-28")] // no 29 February in 2025: AddMonths clamps to the 28th, never longer than 12 months
    [InlineData("2023-02-28", "2024-02-28")] // into a leap year: the 28th, not the 29th
    [InlineData("2023-03-01", "2024-03-01")] // across a 29 February: calendar months, not 365 days (which would give 2024-02-29)
    [InlineData("2024-02-28", "2025-02-28")] // 365 days would give 2025-02-27
    [InlineData("2025-03-31", "2026-03-31")]
    [InlineData("2025-12-31", "2026-12-31")]
    public void ExpiresOn_TwelveCalendarMonthsLater(string done, string expires)
        => ScreeningValidity.ExpiresOn(DateOnly.Parse(done)).ShouldBe(DateOnly.Parse(expires));

    [Theory]
    [InlineData("2025-01-10", "2026-01-09", false)] // the day before: still valid
    [InlineData("2025-01-10", "2026-01-10", true)]  // the expiry day: expired
    [InlineData("2025-01-10", "2026-01-11", true)]  // the day after
    [InlineData("2025-01-10", "2025-01-10", false)] // the day it was done
    [InlineData("2025-02-28", "2026-02-27", false)]
    [InlineData("2025-02-28", "2026-02-28", true)]
    [InlineData("2024-02-29", "2025-02-27", false)]
    [InlineData("2024-02-29", "2025-02-28", true)]
    [InlineData("2024-02-29", "2025-03-01", true)]
    public void IsExpired_AroundTheExpiryDay(string done, string today, bool expired)
        => ScreeningValidity.IsExpired(DateOnly.Parse(done), DateOnly.Parse(today)).ShouldBe(expired);

    [Fact]
    public void Evaluate_ClearanceTheDayBeforeExpiry_StillClears()
    {
        var r = Evaluate(new DateOnly(2025, 1, 10), new DateOnly(2026, 1, 9));
        r.Limbs.ShouldAllBe(l => l.Eligibility == Eligibility.Eligible && l.ConservativePressure);
        r.ClearanceExpired.ShouldBeFalse();
        r.ExpiredClearances().ShouldBeEmpty();
        r.Reasons.Single().ClearedLimbs.Count.ShouldBe(4);
    }

    [Theory]
    [InlineData(2026, 1, 10)] // on the expiry day
    [InlineData(2026, 1, 11)] // after it
    [InlineData(2029, 6, 1)]  // years later
    public void Evaluate_ClearanceOnOrAfterExpiry_NeedsClearanceAgainNamingTheDates(int y, int m, int d)
    {
        var r = Evaluate(new DateOnly(2025, 1, 10), new DateOnly(y, m, d));
        r.Limbs.ShouldAllBe(l => l.Eligibility == Eligibility.NeedsClearance && !l.ClearedByClinician && !l.MayTrain);
        r.ClearanceExpired.ShouldBeTrue();
        r.Reasons.Single().ClearedLimbs.ShouldBeEmpty();
        r.ExpiredClearances().ShouldBe(["clearance of diabetes by Dr A. Physio on 2025-01-10 expired on 2026-01-10 (valid 12 months: PAR-Q+): a clinician must clear it again"]);
    }

    [Fact]
    public void Evaluate_ClearanceOn29February_ExpiresOn28FebruaryNextYear()
    {
        Evaluate(new DateOnly(2024, 2, 29), new DateOnly(2025, 2, 27)).For(Limb.LeftLeg).MayTrain.ShouldBeTrue();
        var r = Evaluate(new DateOnly(2024, 2, 29), new DateOnly(2025, 2, 28));
        r.For(Limb.LeftLeg).Eligibility.ShouldBe(Eligibility.NeedsClearance);
        r.ExpiredClearances().Single().ShouldContain("on 2024-02-29 expired on 2025-02-28");
    }

    [Fact]
    public void Evaluate_ExpiredClearanceOfSomeLimbs_NamedOnlyOnThoseLimbs()
    {
        var r = Evaluate(new DateOnly(2025, 1, 10), new DateOnly(2026, 2, 1), [Limb.LeftLeg]);
        r.ExpiredClearances(Limb.LeftLeg).Count.ShouldBe(1);
        r.ExpiredClearances(Limb.RightArm).ShouldBeEmpty();
    }

    [Fact]
    public void Evaluate_ClearanceWithoutToday_ThrowsNamingToday()
        => Should.Throw<ArgumentException>(() => Screener.Evaluate(new ScreeningAnswers(45, 124, 80, DiabetesOnly(),
                new ClinicianClearance("Dr A. Physio", new DateOnly(2025, 1, 10), ["diabetes"]))))
            .ParamName.ShouldBe("today");

    [Fact]
    public void Evaluate_NoClearanceWithoutToday_Evaluates()
        => Screener.Evaluate(new ScreeningAnswers(45, 124, 80, DiabetesOnly())).For(Limb.LeftLeg).Eligibility.ShouldBe(Eligibility.NeedsClearance);

    [Fact]
    public void ScreeningExpired_NamesBothDatesAndTheRule()
        => ScreeningValidity.ScreeningExpired(new DateOnly(2025, 1, 10))
            .ShouldBe("the screening of 2025-01-10 expired on 2026-01-10 (valid 12 months: PAR-Q+): screen again before BFR is prescribed or run");

    [Fact]
    public void ClinicianClearance_ExpiresOn_IsTheRule()
        => new ClinicianClearance("Dr A", new DateOnly(2025, 2, 28), ["diabetes"]).ExpiresOn.ShouldBe(new DateOnly(2026, 2, 28));
}
