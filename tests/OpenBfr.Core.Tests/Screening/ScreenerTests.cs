using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;

namespace OpenBfr.Core.Tests.Screening;

public class ScreenerTests
{
    private static readonly Questionnaire Q = Questionnaire.Default;

    private static Dictionary<string, ItemAnswer> AllNo() => Q.YesNoItems.ToDictionary(i => i.Id, _ => ItemAnswer.No);

    private static ScreeningResult Screen(Action<Dictionary<string, ItemAnswer>>? change = null, int age = 30, int systolic = 120, int diastolic = 80,
        ClinicianClearance? clearance = null)
    {
        var answers = AllNo();
        change?.Invoke(answers);
        // The clearances below are dated 2026; evaluated two days after the latest of them.
        return Screener.Evaluate(new ScreeningAnswers(age, systolic, diastolic, answers, clearance), today: new DateOnly(2026, 11, 22));
    }

    private static void ShouldBeAll(ScreeningResult r, Eligibility e) => r.Limbs.ShouldAllBe(l => l.Eligibility == e);

    [Fact]
    public void Questionnaire_HasEveryDesignItem()
        => Q.Items.Select(i => i.Id).ShouldBe([
            "vte-history", "clotting-disorder", "pregnancy", "blood-pressure-180-110", "acute-illness", "uncontrolled-arrhythmia",
            "unstable-angina", "recent-mi-or-revascularisation", "peripheral-artery-disease", "sickle-cell",
            "lymph-nodes-or-lymphoedema", "dialysis-fistula", "open-wound-or-infection", "vascular-graft", "tumour-distal-to-cuff", "fracture-not-cleared",
            "recent-surgery", "varicose-veins", "cancer-last-5-years", "diabetes", "chronic-kidney-disease", "blood-pressure-160-100",
            "age-60-with-risk-factors", "hormones-with-risk-factors",
            "smoker", "obesity", "family-history-of-clots", "recent-immobilisation"]);

    [Fact]
    public void Questionnaire_EveryItemResolvesItsSources()
        => Q.Items.ShouldAllBe(i => i.Sources.Count > 0 && i.Sources.All(s => s.Contains(' ')));

    [Fact]
    public void Evaluate_AllNoHealthy_AllLimbsEligibleNoReasons()
    {
        var r = Screen();
        ShouldBeAll(r, Eligibility.Eligible);
        r.Reasons.ShouldBeEmpty();
        r.Limbs.ShouldAllBe(l => !l.ConservativePressure);
    }

    // DESIGN.md section 3, "Not eligible (any limb)" (Kacin et al. 2015; Nascimento et al. 2022).
    [Theory]
    [InlineData("vte-history")]
    [InlineData("clotting-disorder")]
    [InlineData("pregnancy")]
    [InlineData("acute-illness")]
    [InlineData("uncontrolled-arrhythmia")]
    [InlineData("unstable-angina")]
    [InlineData("recent-mi-or-revascularisation")]
    [InlineData("peripheral-artery-disease")]
    [InlineData("sickle-cell")]
    public void Evaluate_NotEligibleItem_AllLimbsNotEligible(string id)
    {
        var r = Screen(a => a[id] = ItemAnswer.YesAnswer);
        ShouldBeAll(r, Eligibility.NotEligible);
        var reason = r.Reasons.ShouldHaveSingleItem();
        reason.ItemId.ShouldBe(id);
        reason.Class.ShouldBe(ScreeningClass.NotEligible);
        reason.Sources.ShouldNotBeEmpty();
        r.For(Limb.LeftArm).ReasonIds.ShouldBe([id]);
    }

    // DESIGN.md section 3, "Not eligible on the affected limb".
    [Theory]
    [InlineData("lymph-nodes-or-lymphoedema")]
    [InlineData("dialysis-fistula")]
    [InlineData("open-wound-or-infection")]
    [InlineData("vascular-graft")]
    [InlineData("tumour-distal-to-cuff")]
    [InlineData("fracture-not-cleared")]
    public void Evaluate_AffectedLimbItem_OnlyThatLimbNotEligible(string id)
    {
        var r = Screen(a => a[id] = ItemAnswer.OnLimbs([Limb.LeftArm]));
        r.For(Limb.LeftArm).Eligibility.ShouldBe(Eligibility.NotEligible);
        r.For(Limb.RightArm).Eligibility.ShouldBe(Eligibility.Eligible);
        r.For(Limb.LeftLeg).Eligibility.ShouldBe(Eligibility.Eligible);
        r.For(Limb.RightLeg).Eligibility.ShouldBe(Eligibility.Eligible);
        r.Reasons.ShouldHaveSingleItem().Limbs.ShouldBe([Limb.LeftArm]);
    }

    [Fact]
    public void Evaluate_LymphoedemaSource_IsTheSeed()
        => Q["lymph-nodes-or-lymphoedema"].Sources.ShouldContain(Sources.SeedSecret);

    [Fact]
    public void Evaluate_AffectedLimbItemOnBothLegs_BothLegsNotEligibleArmsEligible()
    {
        var r = Screen(a => a["open-wound-or-infection"] = ItemAnswer.OnLimbs([Limb.LeftLeg, Limb.RightLeg]));
        r.For(Limb.LeftLeg).Eligibility.ShouldBe(Eligibility.NotEligible);
        r.For(Limb.RightLeg).Eligibility.ShouldBe(Eligibility.NotEligible);
        r.For(Limb.LeftArm).Eligibility.ShouldBe(Eligibility.Eligible);
    }

    // DESIGN.md section 3, "Needs clearance".
    [Theory]
    [InlineData("recent-surgery")]
    [InlineData("varicose-veins")]
    [InlineData("cancer-last-5-years")]
    [InlineData("diabetes")]
    [InlineData("chronic-kidney-disease")]
    public void Evaluate_NeedsClearanceItem_AllLimbsNeedClearance(string id)
    {
        var r = Screen(a => a[id] = ItemAnswer.YesAnswer);
        ShouldBeAll(r, Eligibility.NeedsClearance);
        r.Reasons.ShouldHaveSingleItem().Class.ShouldBe(ScreeningClass.NeedsClearance);
    }

    [Fact]
    public void Evaluate_RecentSurgery_CitesTheRunnersSeed()
        => Q["recent-surgery"].Sources.ShouldContain(Sources.SeedRunnersEndurance);

    [Theory]
    [InlineData(180, 80, Eligibility.NotEligible)]
    [InlineData(120, 110, Eligibility.NotEligible)]
    [InlineData(200, 120, Eligibility.NotEligible)]
    [InlineData(179, 99, Eligibility.NeedsClearance)]
    [InlineData(160, 80, Eligibility.NeedsClearance)]
    [InlineData(150, 100, Eligibility.NeedsClearance)]
    [InlineData(150, 109, Eligibility.NeedsClearance)]
    [InlineData(159, 99, Eligibility.Eligible)]
    public void Evaluate_BloodPressure_ThresholdsAsDesign(int systolic, int diastolic, Eligibility expected)
        => ShouldBeAll(Screen(systolic: systolic, diastolic: diastolic), expected);

    [Fact]
    public void Evaluate_BloodPressureReason_ShowsTheGivenValues()
        => Screen(systolic: 185, diastolic: 95).Reasons.ShouldHaveSingleItem().Finding.ShouldContain("given 185/95 mmHg");

    [Fact]
    public void Evaluate_Age60Alone_Eligible() => ShouldBeAll(Screen(age: 65), Eligibility.Eligible);

    [Theory]
    [InlineData("smoker")]
    [InlineData("obesity")]
    [InlineData("family-history-of-clots")]
    [InlineData("recent-immobilisation")]
    public void Evaluate_Age60WithRiskFactor_NeedsClearance(string riskFactor)
    {
        var r = Screen(a => a[riskFactor] = ItemAnswer.YesAnswer, age: 60);
        ShouldBeAll(r, Eligibility.NeedsClearance);
        r.Reasons.ShouldHaveSingleItem().ItemId.ShouldBe("age-60-with-risk-factors");
    }

    [Fact]
    public void Evaluate_Age59WithRiskFactor_Eligible()
        => ShouldBeAll(Screen(a => a["smoker"] = ItemAnswer.YesAnswer, age: 59), Eligibility.Eligible);

    [Fact]
    public void Evaluate_RiskFactorAlone_ChangesNothing()
        => ShouldBeAll(Screen(a => a["smoker"] = ItemAnswer.YesAnswer), Eligibility.Eligible);

    [Fact]
    public void Evaluate_HormonesAlone_Eligible()
        => ShouldBeAll(Screen(a => a["hormones-with-risk-factors"] = ItemAnswer.YesAnswer), Eligibility.Eligible);

    [Fact]
    public void Evaluate_HormonesWithSmoking_NeedsClearance()
    {
        var r = Screen(a => { a["hormones-with-risk-factors"] = ItemAnswer.YesAnswer; a["smoker"] = ItemAnswer.YesAnswer; });
        ShouldBeAll(r, Eligibility.NeedsClearance);
        r.Reasons.ShouldHaveSingleItem().ItemId.ShouldBe("hormones-with-risk-factors");
    }

    [Fact]
    public void Evaluate_HormonesWithAnotherClearanceItem_BothListed()
    {
        var r = Screen(a => { a["hormones-with-risk-factors"] = ItemAnswer.YesAnswer; a["varicose-veins"] = ItemAnswer.YesAnswer; });
        r.Reasons.Select(x => x.ItemId).ShouldBe(["varicose-veins", "hormones-with-risk-factors"]);
    }

    [Fact]
    public void Evaluate_Age60WithHormones_EachIsTheOthersRiskFactor()
    {
        var r = Screen(a => a["hormones-with-risk-factors"] = ItemAnswer.YesAnswer, age: 62);
        r.Reasons.Select(x => x.ItemId).ShouldBe(["age-60-with-risk-factors", "hormones-with-risk-factors"]);
    }

    [Fact]
    public void Evaluate_NotEligibleBeatsNeedsClearance()
    {
        var r = Screen(a => { a["diabetes"] = ItemAnswer.YesAnswer; a["fracture-not-cleared"] = ItemAnswer.OnLimbs([Limb.RightLeg]); });
        r.For(Limb.RightLeg).Eligibility.ShouldBe(Eligibility.NotEligible);
        r.For(Limb.LeftLeg).Eligibility.ShouldBe(Eligibility.NeedsClearance);
        r.For(Limb.RightLeg).ReasonIds.ShouldBe(["fracture-not-cleared", "diabetes"]);
    }

    [Fact]
    public void Evaluate_ClearanceForTheItem_EligibleWithConservativePressure()
    {
        var clearance = new ClinicianClearance("Dr A. Physio", new DateOnly(2026, 11, 20), ["diabetes"]);
        var r = Screen(a => a["diabetes"] = ItemAnswer.YesAnswer, clearance: clearance);
        ShouldBeAll(r, Eligibility.Eligible);
        r.Limbs.ShouldAllBe(l => l.ClearedByClinician && l.ConservativePressure && l.MayTrain);
        r.Reasons.ShouldHaveSingleItem().ClearedLimbs.Count.ShouldBe(4);
    }

    [Fact]
    public void Evaluate_ClearanceForOtherItem_StillNeedsClearance()
    {
        var clearance = new ClinicianClearance("Dr A. Physio", new DateOnly(2026, 11, 20), ["varicose-veins"]);
        var r = Screen(a => { a["diabetes"] = ItemAnswer.YesAnswer; a["varicose-veins"] = ItemAnswer.YesAnswer; }, clearance: clearance);
        ShouldBeAll(r, Eligibility.NeedsClearance);
    }

    [Fact]
    public void Evaluate_ClearanceForLegsOnly_ArmsStillNeedClearance()
    {
        var clearance = new ClinicianClearance("Dr A. Physio", new DateOnly(2026, 11, 20), ["recent-surgery"], [Limb.LeftLeg, Limb.RightLeg]);
        var r = Screen(a => a["recent-surgery"] = ItemAnswer.YesAnswer, clearance: clearance);
        r.For(Limb.LeftLeg).ConservativePressure.ShouldBeTrue();
        r.For(Limb.RightLeg).Eligibility.ShouldBe(Eligibility.Eligible);
        r.For(Limb.LeftArm).Eligibility.ShouldBe(Eligibility.NeedsClearance);
        r.Reasons.Single().ClearedLimbs.ShouldBe([Limb.LeftLeg, Limb.RightLeg]);
    }

    [Fact]
    public void Evaluate_ClearanceOfNotEligibleItem_Throws()
    {
        var clearance = new ClinicianClearance("Dr A. Physio", new DateOnly(2026, 11, 20), ["vte-history"]);
        Should.Throw<ArgumentException>(() => Screen(a => a["vte-history"] = ItemAnswer.YesAnswer, clearance: clearance))
            .Message.ShouldContain("only NeedsClearance findings can be cleared");
    }

    [Fact]
    public void Evaluate_ClearanceWithoutClinician_Throws()
        => Should.Throw<ArgumentException>(() => Screen(clearance: new ClinicianClearance(" ", new DateOnly(2026, 1, 1), ["diabetes"])))
            .Message.ShouldContain("clinician");

    [Fact]
    public void Evaluate_UnansweredItem_ThrowsNamingIt()
        => Should.Throw<ArgumentException>(() => Screen(a => a.Remove("sickle-cell"))).Message.ShouldContain("'sickle-cell' not answered");

    [Fact]
    public void Evaluate_UnknownItem_Throws()
        => Should.Throw<ArgumentException>(() => Screen(a => a["bogus"] = ItemAnswer.No)).Message.ShouldContain("'bogus' is not a yes/no screening item");

    [Fact]
    public void Evaluate_LimbItemYesWithoutLimbs_Throws()
        => Should.Throw<ArgumentException>(() => Screen(a => a["dialysis-fistula"] = ItemAnswer.YesAnswer)).Message.ShouldContain("names no limb");

    [Theory]
    [InlineData(120, 130)]
    [InlineData(300, 80)]
    [InlineData(120, 30)]
    public void ScreeningAnswers_ImplausibleBloodPressure_Throws(int systolic, int diastolic)
        => Should.Throw<ArgumentOutOfRangeException>(() => new ScreeningAnswers(30, systolic, diastolic, AllNo()));

    [Fact]
    public void ScreeningAnswers_Age5_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => new ScreeningAnswers(5, 120, 80, AllNo())).Message.ShouldContain("age must be 10–110 years");

    [Fact]
    public void Parse_UnknownSourceKey_Throws()
        => Should.Throw<FormatException>(() => Questionnaire.Parse("""{"version":1,"items":[{"id":"x","class":"NotEligible","question":"q","finding":"f","sources":["Nobody1999"]}]}"""))
            .Message.ShouldContain("unknown source 'Nobody1999'");

    [Fact]
    public void Parse_DuplicateId_Throws()
        => Should.Throw<FormatException>(() => Questionnaire.Parse("""{"version":1,"items":[{"id":"x","class":"NotEligible","question":"q","finding":"f","sources":["Kacin2015"]},{"id":"x","class":"NotEligible","question":"q","finding":"f","sources":["Kacin2015"]}]}"""))
            .Message.ShouldContain("duplicate");

    [Fact]
    public void Parse_LimbSpecificBloodPressureItem_Throws()
        => Should.Throw<FormatException>(() => Questionnaire.Parse("""{"version":1,"items":[{"id":"x","class":"NotEligibleOnAffectedLimb","condition":{"type":"BloodPressure","systolicFrom":1,"diastolicFrom":1},"question":"q","finding":"f","sources":["Kacin2015"]}]}"""))
            .Message.ShouldContain("must be yes/no");

    [Fact]
    public void Parse_CustomQuestionnaire_IsEvaluated()
    {
        var q = Questionnaire.Parse("""{"version":7,"items":[{"id":"x","class":"NeedsClearance","question":"q","finding":"f","sources":["Kacin2015"]}]}""");
        var r = Screener.Evaluate(new ScreeningAnswers(30, 120, 80, new Dictionary<string, ItemAnswer> { ["x"] = ItemAnswer.YesAnswer }), q);
        r.QuestionnaireVersion.ShouldBe(7);
        r.For(Limb.LeftLeg).Eligibility.ShouldBe(Eligibility.NeedsClearance);
    }
}
