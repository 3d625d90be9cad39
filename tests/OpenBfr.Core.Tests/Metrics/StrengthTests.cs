using OpenBfr.Core.Metrics;

namespace OpenBfr.Core.Tests.Metrics;

public class StrengthTests
{
    [Fact]
    public void EstimateOneRepMax_100kgTimes10_BothAbout133()
    {
        // Hand-computed: Epley 100·(1 + 10/30) = 133.33; Brzycki 100·36/27 = 133.33 (they agree at 10 reps).
        var r = Strength.EstimateOneRepMax(100, 10);
        r.EpleyKg.ShouldBe(133.333, 0.001);
        r.BrzyckiKg.ShouldBe(133.333, 0.001);
    }

    [Fact]
    public void EstimateOneRepMax_100kgTimes5_EpleyAboveBrzycki()
    {
        // Epley 100·(1 + 5/30) = 116.67; Brzycki 100·36/32 = 112.5.
        var r = Strength.EstimateOneRepMax(100, 5);
        r.EpleyKg.ShouldBe(116.667, 0.001);
        r.BrzyckiKg.ShouldBe(112.5, 1e-9);
    }

    [Fact]
    public void EstimateOneRepMax_12Reps_IsTheLastAccepted()
        => Strength.EstimateOneRepMax(60, 12).BrzyckiKg.ShouldBe(60 * 36 / 25.0, 1e-9); // 86.4

    [Fact]
    public void EstimateOneRepMax_OneRep_IsTheWeight()
    {
        var r = Strength.EstimateOneRepMax(140, 1);
        r.EpleyKg.ShouldBe(140);
        r.BrzyckiKg.ShouldBe(140);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(0)]
    [InlineData(-1)]
    public void EstimateOneRepMax_RepsOutside1To12_Throws(int reps)
        => Should.Throw<ArgumentOutOfRangeException>(() => Strength.EstimateOneRepMax(100, reps)).Message.ShouldContain("reps must be 1–12");

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1001)]
    [InlineData(double.NaN)]
    public void EstimateOneRepMax_BadWeight_Throws(double kg)
        => Should.Throw<ArgumentOutOfRangeException>(() => Strength.EstimateOneRepMax(kg, 5)).Message.ShouldContain("weightKg");

    [Fact]
    public void LimbSymmetryIndex_InvolvedOverUninvolved_IsPercent()
        => Strength.LimbSymmetryIndex(80, 100).ShouldBe(80);

    [Fact]
    public void LimbSymmetryIndex_ZeroUninvolved_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => Strength.LimbSymmetryIndex(80, 0)).Message.ShouldContain("uninvolved");

    [Fact]
    public void LimbSymmetryIndex_NegativeInvolved_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => Strength.LimbSymmetryIndex(-1, 100));

    // 6 m timed hop (Noyes et al. 1991): uninvolved / involved time × 100, hand-computed values.
    [Theory]
    [InlineData(2.5, 2.2, 88.0)]    // slower involved limb: 2.2 / 2.5 = 0.88
    [InlineData(2.0, 2.0, 100.0)]
    [InlineData(1.8, 2.0, 111.111)] // faster involved limb: 2.0 / 1.8
    [InlineData(4.0, 2.0, 50.0)]
    public void TimedLimbSymmetryIndex_UninvolvedOverInvolvedTime_IsPercent(double involved, double uninvolved, double percent)
        => Strength.TimedLimbSymmetryIndex(involved, uninvolved).ShouldBe(percent, 0.001);

    [Fact]
    public void TimedLimbSymmetryIndex_SlowerInvolvedLimb_IsBelowTheDistanceFormOfTheSameNumbers()
    {
        // The distance form would read a slower involved time as better: 2.5 / 2.2 = 113.6%.
        Strength.LimbSymmetryIndex(2.5, 2.2).ShouldBeGreaterThan(100);
        Strength.TimedLimbSymmetryIndex(2.5, 2.2).ShouldBeLessThan(90);
    }

    [Theory]
    [InlineData(0, 2.2, "involvedTime")]
    [InlineData(-1, 2.2, "involvedTime")]
    [InlineData(2.5, 0, "uninvolvedTime")]
    [InlineData(double.NaN, 2.2, "involvedTime")]
    [InlineData(2.5, double.PositiveInfinity, "uninvolvedTime")]
    public void TimedLimbSymmetryIndex_NotPositive_ThrowsNamingTheValue(double involved, double uninvolved, string name)
    {
        var e = Should.Throw<ArgumentOutOfRangeException>(() => Strength.TimedLimbSymmetryIndex(involved, uninvolved));
        e.ParamName.ShouldBe(name);
        e.Message.ShouldContain(name + " must be greater than 0");
    }

    [Theory]
    [InlineData(1, 71, true)]
    [InlineData(1, 70, false)]   // Rambaud 2018: strictly above 70%
    [InlineData(2, 90, false)]   // pain must be below 2/10
    [InlineData(0, 95, true)]
    public void StartRunningGate_PainAndLsi_AsRambaud2018(double pain, double lsi, bool met)
        => ReturnToRunGate.StartRunning.IsMet(pain, lsi).ShouldBe(met);

    [Theory]
    [InlineData(0, 90, true)]    // Grindem: ≥ 90%
    [InlineData(0, 89.9, false)]
    public void ReturnToSportGate_Lsi90_AsGrindem(double pain, double lsi, bool met)
        => ReturnToRunGate.ReturnToSport.IsMet(pain, lsi).ShouldBe(met);

    [Fact]
    public void Gate_Unmet_SaysWhy()
        => ReturnToRunGate.StartRunning.Unmet(3, 60).ShouldBe(["pain 3/10 must be below 2/10", "limb symmetry 60% must be > 70%"]);
}
