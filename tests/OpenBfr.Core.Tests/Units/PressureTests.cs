using OpenBfr.Core.Units;

namespace OpenBfr.Core.Tests.Units;

public class PressureTests
{
    [Fact]
    public void FromKilopascals_OneMmHgIs0Point1333kPa()
        => Pressure.FromKilopascals(13.3322387415).MmHg.ShouldBe(100, 1e-9); // 1 mmHg = 133.322387415 Pa (definition)

    [Fact]
    public void Kilopascals_RoundTrips() => Pressure.FromMmHg(187).Kilopascals.ShouldBe(24.931, 0.001);

    [Theory]
    [InlineData(1000.1)]
    [InlineData(-1000.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void FromMmHg_OutsideRepresentable_Throws(double mmHg)
        => Should.Throw<ArgumentOutOfRangeException>(() => Pressure.FromMmHg(mmHg)).Message.ShouldContain("mmHg must be -1000–1000 mmHg");

    [Fact]
    public void Percent_OfLop_IsProportional() => Pressure.FromMmHg(200).Percent(70).MmHg.ShouldBe(140, 1e-9);

    [Fact]
    public void PercentOf_ZeroReference_IsNaN() => double.IsNaN(Pressure.FromMmHg(100).PercentOf(Pressure.Zero)).ShouldBeTrue();

    [Theory]
    [InlineData(92.35, 92)]
    [InlineData(92.5, 93)]     // midpoint away from zero, as a clinician rounds
    [InlineData(-92.5, -93)]
    public void RoundedToWholeMmHg_RoundsHalfAwayFromZero(double mmHg, double expected)
        => Pressure.FromMmHg(mmHg).RoundedToWholeMmHg().MmHg.ShouldBe(expected);

    [Fact]
    public void Arithmetic_AndComparison()
    {
        var a = Pressure.FromMmHg(200);
        var b = Pressure.FromMmHg(15.3);
        (a - b).MmHg.ShouldBe(184.7, 1e-9);
        (a + b).MmHg.ShouldBe(215.3, 1e-9);
        (b * 2).MmHg.ShouldBe(30.6, 1e-9);
        (a > b).ShouldBeTrue();
        Pressure.Min(a, b).ShouldBe(b);
        Pressure.Max(a, b).ShouldBe(a);
        a.CompareTo(b).ShouldBePositive();
    }

    [Fact]
    public void Arithmetic_BeyondRepresentable_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => Pressure.FromMmHg(900) + Pressure.FromMmHg(200));

    [Fact]
    public void ToString_IsInvariantWithUnit() => Pressure.FromMmHg(184.66).ToString().ShouldBe("184.7 mmHg");

    [Fact]
    public void MaxCuff_Is300() => Pressure.MaxCuff.MmHg.ShouldBe(300);
}
