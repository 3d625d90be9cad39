using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;

namespace OpenBfr.Core.Tests.Lop;

public class LopEstimatorTests
{
    private static readonly CuffDescription Thigh18 = new(18, LimbKind.Leg);

    [Fact]
    public void Estimate_DesignExample_MatchesHandComputedEquation()
    {
        // Hand-computed: 65.290 + 1.110*55 + 0.178*120 + 1.153*30 - 7.984*1 = 174.306 mmHg
        // (Rev Bras Med Esporte 2019;25(6):494).
        var estimate = LopEstimator.Estimate(new LopEstimateInput(55, 120, 30, Sex.Male, Thigh18));
        estimate.Lop.MmHg.ShouldBe(174.306, 0.001);
        estimate.StandardErrorOfEstimate.MmHg.ShouldBe(15.3);
        estimate.RSquared.ShouldBe(0.397);
    }

    [Fact]
    public void Estimate_Female_IsLowerBySexCoefficient()
    {
        var male = LopEstimator.Estimate(new LopEstimateInput(60, 130, 45, Sex.Male, Thigh18));
        var female = LopEstimator.Estimate(new LopEstimateInput(60, 130, 45, Sex.Female, Thigh18));
        (male.Lop.MmHg - female.Lop.MmHg).ShouldBe(7.984, 1e-9);
    }

    [Theory]
    [InlineData(5, LimbKind.Arm)]
    [InlineData(8, LimbKind.Leg)]
    [InlineData(11.5, LimbKind.Leg)]
    [InlineData(24, LimbKind.Leg)]
    public void Estimate_CuffTheEquationWasNotDerivedFor_Refuses(double widthCm, LimbKind kind)
    {
        var cuff = new CuffDescription(widthCm, kind);
        Should.Throw<EstimationRefusedException>(() => LopEstimator.Estimate(new LopEstimateInput(55, 120, 30, Sex.Male, cuff)));
    }

    [Fact]
    public void Estimate_SystolicOutOfRange_ThrowsNamingFieldAndRange()
    {
        var ex = Should.Throw<ArgumentOutOfRangeException>(() => LopEstimator.Estimate(new LopEstimateInput(55, 400, 30, Sex.Male, Thigh18)));
        ex.Message.ShouldContain("systolic must be 70–250 mmHg, was 400");
    }
}
