using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Units;

namespace OpenBfr.Core.Tests.Lop;

public class LopValidityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static LimbOcclusionPressure Lop(DateTimeOffset at, BodyPosition position = BodyPosition.Seated, Limb limb = Limb.LeftLeg)
        => new(Pressure.FromMmHg(190), limb, position, limb.IsLeg() ? CuffDescription.StandardLeg : CuffDescription.StandardArm, LopMethod.Doppler, at);

    [Fact]
    public void Problem_FreshSameLimbAndPosition_None()
        => LopValidity.Problem(Lop(Now.AddHours(-1)), Limb.LeftLeg, BodyPosition.Seated, Now).ShouldBeNull();

    [Fact]
    public void Problem_ExactlySevenDays_StillValid()
        => LopValidity.Problem(Lop(Now.AddDays(-7)), Limb.LeftLeg, BodyPosition.Seated, Now).ShouldBeNull();

    [Fact]
    public void Problem_OlderThanSevenDays_SaysRemeasure()
        => LopValidity.Problem(Lop(Now.AddDays(-7).AddMinutes(-1)), Limb.LeftLeg, BodyPosition.Seated, Now)!.ShouldContain("re-measured after 7 days");

    [Fact]
    public void Problem_ConfiguredOneDay_RefusesTwoDaysOld()
        => LopValidity.Problem(Lop(Now.AddDays(-2)), Limb.LeftLeg, BodyPosition.Seated, Now, new LopValidityOptions(TimeSpan.FromDays(1))).ShouldNotBeNull();

    [Theory]
    [InlineData(BodyPosition.Supine, BodyPosition.Standing)]
    [InlineData(BodyPosition.Seated, BodyPosition.Supine)]
    [InlineData(BodyPosition.Standing, BodyPosition.Seated)]
    public void Problem_OtherPosition_CitesHughes2018(BodyPosition measured, BodyPosition exercise)
        => LopValidity.Problem(Lop(Now, measured), Limb.LeftLeg, exercise, Now)!.ShouldContain("Hughes et al. 2018");

    [Fact]
    public void Problem_OtherLimb_Refuses()
        => LopValidity.Problem(Lop(Now), Limb.RightLeg, BodyPosition.Seated, Now)!.ShouldContain("measured on the left-leg, not the right-leg");

    [Fact]
    public void Problem_DatedInTheFuture_Refuses()
        => LopValidity.Problem(Lop(Now.AddHours(1)), Limb.LeftLeg, BodyPosition.Seated, Now)!.ShouldContain("in the future");

    [Fact]
    public void EnsureUsable_Problem_ThrowsLopNotUsable()
        => Should.Throw<LopNotUsableException>(() => LopValidity.EnsureUsable(Lop(Now.AddDays(-30)), Limb.LeftLeg, BodyPosition.Seated, Now));

    [Fact]
    public void Options_BeyondThirtyDays_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => new LopValidityOptions(TimeSpan.FromDays(31))).Message.ShouldContain("lopMaxAgeDays must be 0–30 days");

    [Theory]
    [InlineData(49.9)]
    [InlineData(400.1)]
    public void LimbOcclusionPressure_OutsideAcceptedRange_Throws(double mmHg)
        => Should.Throw<ArgumentOutOfRangeException>(() => new LimbOcclusionPressure(Pressure.FromMmHg(mmHg), Limb.LeftLeg, BodyPosition.Seated,
            CuffDescription.StandardLeg, LopMethod.Doppler, Now)).Message.ShouldContain("lop must be 50–400 mmHg");

    [Fact]
    public void LimbOcclusionPressure_ArmCuffOnLeg_Throws()
        => Should.Throw<ArgumentException>(() => new LimbOcclusionPressure(Pressure.FromMmHg(190), Limb.LeftLeg, BodyPosition.Seated,
            CuffDescription.StandardArm, LopMethod.Doppler, Now)).ParamName.ShouldBe("cuff");

    [Fact]
    public void LimbOcclusionPressure_EstimateWithoutUncertainty_Throws()
        => Should.Throw<ArgumentException>(() => new LimbOcclusionPressure(Pressure.FromMmHg(190), Limb.LeftLeg, BodyPosition.Seated,
            CuffDescription.StandardLeg, LopMethod.Estimated, Now)).Message.ShouldContain("must carry its uncertainty");

    [Fact]
    public void PrescribingReference_Measured_IsTheValue()
        => Lop(Now).PrescribingReference.MmHg.ShouldBe(190);

    [Fact]
    public void PrescribingReference_AutomaticWithUncertainty_IsTheLowEnd()
        => new LimbOcclusionPressure(Pressure.FromMmHg(190), Limb.LeftLeg, BodyPosition.Seated, CuffDescription.StandardLeg,
            LopMethod.Automatic, Now, Pressure.FromMmHg(8)).PrescribingReference.MmHg.ShouldBe(182);
}
