using OpenBfr.Core.Limbs;

namespace OpenBfr.Core.Tests.Limbs;

public class LimbTests
{
    [Theory]
    [InlineData("left-leg", Limb.LeftLeg)]
    [InlineData("LeftLeg", Limb.LeftLeg)]
    [InlineData("right_arm", Limb.RightArm)]
    [InlineData(" RIGHT-LEG ", Limb.RightLeg)]
    public void TryParseLimb_Names_Parse(string text, Limb expected)
    {
        LimbExtensions.TryParseLimb(text, out var limb).ShouldBeTrue();
        limb.ShouldBe(expected);
    }

    [Theory]
    [InlineData("0")]          // Enum.TryParse would take this as LeftArm
    [InlineData("3")]
    [InlineData("-1")]
    [InlineData("left-foot")]
    [InlineData("LeftArm,RightArm")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParseLimb_NotALimbName_Refuses(string? text) => LimbExtensions.TryParseLimb(text, out _).ShouldBeFalse();

    [Fact]
    public void Kind_ArmsAndLegs()
    {
        Limb.LeftArm.Kind().ShouldBe(LimbKind.Arm);
        Limb.RightLeg.Kind().ShouldBe(LimbKind.Leg);
        Limb.RightArm.IsLeg().ShouldBeFalse();
    }

    [Fact]
    public void Opposite_IsTheOtherSide()
        => LimbExtensions.All.Select(l => l.Opposite()).ShouldBe([Limb.RightArm, Limb.LeftArm, Limb.RightLeg, Limb.LeftLeg]);

    [Fact]
    public void ToKebab_RoundTripsThroughTryParse()
    {
        foreach (var limb in LimbExtensions.All)
        {
            LimbExtensions.TryParseLimb(limb.ToKebab(), out var back).ShouldBeTrue();
            back.ShouldBe(limb);
        }
    }

    [Theory]
    [InlineData(1.9)]
    [InlineData(30.1)]
    public void CuffDescription_WidthOutOfRange_Throws(double cm)
        => Should.Throw<ArgumentOutOfRangeException>(() => new CuffDescription(cm, LimbKind.Leg)).Message.ShouldContain("widthCm must be 2–30 cm");
}
