using OpenBfr.Core.Safety;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Tests.Safety;

public class SafetyLimitsTests
{
    private static readonly Pressure Lop200 = Pressure.FromMmHg(200);

    [Theory]
    [InlineData(160)] // exactly 80%
    [InlineData(100)]
    [InlineData(0)]
    public void CheckTarget_WithinLimits_ReturnsTarget(double mmHg)
        => SafetyLimits.CheckTarget(Pressure.FromMmHg(mmHg), Lop200).MmHg.ShouldBe(mmHg);

    [Theory]
    [InlineData(161, SafetyLimit.ExercisePercentOfLop)]
    [InlineData(200, SafetyLimit.AtOrAboveLop)]
    [InlineData(250, SafetyLimit.AtOrAboveLop)]
    [InlineData(-1, SafetyLimit.NegativePressure)]
    public void CheckTarget_BeyondLimits_Throws(double mmHg, SafetyLimit limit)
        => Should.Throw<SafetyLimitExceededException>(() => SafetyLimits.CheckTarget(Pressure.FromMmHg(mmHg), Lop200)).Limit.ShouldBe(limit);

    [Fact]
    public void CheckTarget_AboveAbsoluteCap_ThrowsEvenWhenBelowLop()
    {
        var ex = Should.Throw<SafetyLimitExceededException>(() => SafetyLimits.CheckTarget(Pressure.FromMmHg(301), Pressure.FromMmHg(400)));
        ex.Limit.ShouldBe(SafetyLimit.AbsoluteCap);
        ex.Value.ShouldBe(301);
    }

    [Theory]
    [InlineData(10, InflationKind.Exercise, true)]
    [InlineData(10.01, InflationKind.Exercise, false)]
    [InlineData(20, InflationKind.Aerobic, true)]
    [InlineData(20.5, InflationKind.Aerobic, false)]
    public void CheckInflation_ByKind_EnforcesMaximum(double minutes, InflationKind kind, bool allowed)
    {
        var duration = TimeSpan.FromMinutes(minutes);
        if (allowed) SafetyLimits.CheckInflation(duration, kind).ShouldBe(duration);
        else Should.Throw<SafetyLimitExceededException>(() => SafetyLimits.CheckInflation(duration, kind)).Limit.ShouldBe(SafetyLimit.ContinuousInflation);
    }

    [Fact]
    public void Limits_AreTheDesignNumbers()
    {
        SafetyLimits.AbsoluteCap.MmHg.ShouldBe(300);
        SafetyLimits.MaxExercisePercentOfLop.ShouldBe(80);
        SafetyLimits.MaxTimeAtOrAboveLop.ShouldBe(TimeSpan.FromSeconds(2));
        SafetyLimits.AbsoluteMaxContinuousInflation.ShouldBe(TimeSpan.FromMinutes(20));
        SafetyLimits.MinDeflation.ShouldBe(TimeSpan.FromMinutes(1));
        SafetyLimits.PainRequiresDeflation(8).ShouldBeTrue();
        SafetyLimits.PainRequiresDeflation(7).ShouldBeFalse();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-10)]
    public void CheckTarget_NonPositiveLop_Throws(double lopMmHg)
        => Should.Throw<SafetyLimitExceededException>(() => SafetyLimits.CheckTarget(Pressure.FromMmHg(100), Pressure.FromMmHg(lopMmHg)))
            .Limit.ShouldBe(SafetyLimit.NoLop);

    [Fact]
    public void Ceiling_HighLop_IsTheAbsoluteCap() => SafetyLimits.Ceiling(Pressure.FromMmHg(400)).MmHg.ShouldBe(300);

    [Fact]
    public void Ceiling_TypicalLop_Is80Percent() => SafetyLimits.Ceiling(Pressure.FromMmHg(200)).MmHg.ShouldBe(160);
}
