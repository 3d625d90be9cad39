using OpenBfr.Core.Metrics;

namespace OpenBfr.Core.Tests.Metrics;

public class RunningFitnessTests
{
    private static TimeSpan T(string s)
    {
        var p = s.Split(':').Select(double.Parse).ToArray();
        return p.Length == 3 ? TimeSpan.FromSeconds(p[0] * 3600 + p[1] * 60 + p[2]) : TimeSpan.FromSeconds(p[0] * 60 + p[1]);
    }

    // Published race times for whole VDOT values: Daniels, "Daniels' Running Formula" (3rd ed., 2014),
    // Table 5.1 (VDOT values associated with times raced over popular distances). The equation is the one
    // the table was built from, so each time must give its VDOT within the table's rounding to the second.
    [Theory]
    [InlineData(5000, "30:40", 30)]
    [InlineData(5000, "24:08", 40)]
    [InlineData(5000, "19:57", 50)]
    [InlineData(5000, "17:03", 60)]
    [InlineData(10000, "63:46", 30)]
    [InlineData(10000, "50:03", 40)]
    [InlineData(10000, "41:21", 50)]
    [InlineData(10000, "35:22", 60)]
    [InlineData(21097.5, "2:21:04", 30)]
    [InlineData(21097.5, "1:50:59", 40)]
    [InlineData(21097.5, "1:31:35", 50)]
    [InlineData(21097.5, "1:18:09", 60)]
    [InlineData(42195, "4:49:17", 30)]
    [InlineData(42195, "3:49:45", 40)]
    [InlineData(42195, "3:10:49", 50)]
    [InlineData(42195, "2:43:25", 60)]
    public void Vdot_DanielsTableTimes_GiveTheirVdot(double metres, string time, double expected)
        => RunningFitness.Vdot(metres, T(time)).ShouldBe(expected, 0.15);

    [Fact]
    public void Vdot_HandComputed_MatchesEquation()
    {
        // 5000 m in 20:00: v = 250 m/min; VO2 = −4.60 + 0.182258·250 + 0.000104·250² = 47.4645;
        // %max = 0.8 + 0.1894393·e^(−0.25556) + 0.2989558·e^(−3.86521) = 0.8 + 0.146706 + 0.006266 = 0.952972.
        RunningFitness.Vdot(5000, TimeSpan.FromMinutes(20)).ShouldBe(47.4645 / 0.952972, 0.005);
    }

    [Theory]
    [InlineData(500, 2)]          // distance below 800 m
    [InlineData(60000, 300)]      // beyond 50 km
    [InlineData(5000, 5)]         // 1000 m/min: faster than any human
    [InlineData(5000, 120)]       // 41.7 m/min: walking pace
    public void Vdot_Implausible_Throws(double metres, double minutes)
        => Should.Throw<ArgumentOutOfRangeException>(() => RunningFitness.Vdot(metres, TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void Vdot_TooFast_MessageGivesSpeedAndAllowedRange()
        => Should.Throw<ArgumentOutOfRangeException>(() => RunningFitness.Vdot(5000, TimeSpan.FromMinutes(5))).Message
            .ShouldStartWith("time 0:05:00 for 5000 m is 1000 m/min on average; a race is run at 100–450 m/min");

    [Fact]
    public void Vdot_ZeroTime_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => RunningFitness.Vdot(5000, TimeSpan.Zero)).Message.ShouldContain("time must be greater than 0");

    [Fact]
    public void Vo2MaxFromMileAndHalf_TwelveMinutes_Is43Point75()
        => RunningFitness.Vo2MaxFromMileAndHalf(TimeSpan.FromMinutes(12)).ShouldBe(483 / 12.0 + 3.5, 1e-12); // ACSM: 43.75

    [Fact]
    public void Vo2MaxFromMileAndHalf_TenMinutes_Is51Point8()
        => RunningFitness.Vo2MaxFromMileAndHalf(TimeSpan.FromMinutes(10)).ShouldBe(51.8, 1e-12);

    [Theory]
    [InlineData(5.9)]
    [InlineData(31)]
    public void Vo2MaxFromMileAndHalf_OutOfRange_Throws(double minutes)
        => Should.Throw<ArgumentOutOfRangeException>(() => RunningFitness.Vo2MaxFromMileAndHalf(TimeSpan.FromMinutes(minutes)))
            .Message.ShouldContain("time must be 6–30 min");

    [Theory]
    [InlineData("5000", 5000)]
    [InlineData("5k", 5000)]
    [InlineData("10K", 10000)]
    [InlineData("half", 21097.5)]
    [InlineData("marathon", 42195)]
    [InlineData("1500m", 1500)]
    public void TryParseDistance_Known_Parses(string text, double metres)
    {
        RunningFitness.TryParseDistance(text, out var m).ShouldBeTrue();
        m.ShouldBe(metres);
    }

    [Theory]
    [InlineData("far")]
    [InlineData("")]
    [InlineData("5 miles")]
    public void TryParseDistance_Unknown_Refuses(string text) => RunningFitness.TryParseDistance(text, out _).ShouldBeFalse();
}
