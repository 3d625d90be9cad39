using OpenBfr.Core;

namespace OpenBfr.Core.Tests;

public class GuardTests
{
    [Theory]
    [InlineData(1e308, "thighCm must be 30–100 cm, was 1e+308")]
    [InlineData(-2.5e12, "thighCm must be 30–100 cm, was -2.5e+12")]
    [InlineData(123456789, "thighCm must be 30–100 cm, was 123456789")]
    [InlineData(12.3456, "thighCm must be 30–100 cm, was 12.346")]
    public void InRange_OutOfRange_MessageShowsTheValueShort(double thighCm, string expected)
        => Should.Throw<ArgumentOutOfRangeException>(() => Guard.InRange(thighCm, 30, 100, "cm")).Message.ShouldStartWith(expected);
}
