using OpenBfr.Core.Metrics;

namespace OpenBfr.Core.Tests.Metrics;

public class TrainingLoadTests
{
    private static readonly DateOnly Day0 = new(2026, 1, 1);

    private static List<DailyLoad> Days(params double[] loads) => loads.Select((l, i) => new DailyLoad(Day0.AddDays(i), l)).ToList();

    private static List<DailyLoad> Block(params (int Days, double Load)[] blocks)
        => Days(blocks.SelectMany(b => Enumerable.Repeat(b.Load, b.Days)).ToArray());

    [Fact]
    public void SessionRpe_Foster_IsRpeTimesMinutes()
        => TrainingLoad.SessionRpe(6, TimeSpan.FromMinutes(45)).ShouldBe(270); // Foster et al. 2001: 6 × 45 = 270 AU

    [Theory]
    [InlineData(11, 30)]
    [InlineData(-1, 30)]
    [InlineData(5, 601)]
    public void SessionRpe_OutOfRange_Throws(double rpe, double minutes)
        => Should.Throw<ArgumentOutOfRangeException>(() => TrainingLoad.SessionRpe(rpe, TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void Ewma_SmallWindows_MatchesHandComputation()
    {
        // acute N = 2 (λ = 2/3), chronic N = 3 (λ = 1/2), seed = mean of first 2 days = 10.
        // Day 3: acute = 40·2/3 + 10/3 = 30; chronic = 40/2 + 10/2 = 25; ratio 1.2.
        var points = TrainingLoad.Ewma(Days(10, 10, 40), acuteDays: 2, chronicDays: 3);
        points[2].Acute.ShouldBe(30, 1e-9);
        points[2].Chronic.ShouldBe(25, 1e-9);
        points[2].Ratio!.Value.ShouldBe(1.2, 1e-9);
        points[2].Flag.ShouldBe(WorkloadFlag.InRange);
        points[1].Ratio.ShouldBeNull();
        points[1].Flag.ShouldBe(WorkloadFlag.InsufficientData);
    }

    [Fact]
    public void Ewma_WilliamsLambda_Is2OverNPlus1()
    {
        // One day of 100 after a seed of 0 (first 7 days 0): acute = 100·2/8 = 25, chronic = 100·2/29.
        var points = TrainingLoad.Ewma(Block((7, 0), (1, 100)));
        points[^1].Acute.ShouldBe(25, 1e-9);
        points[^1].Chronic.ShouldBe(200.0 / 29, 1e-9);
    }

    [Fact]
    public void Ewma_SteadyLoad_RatioIsOne()
    {
        var points = TrainingLoad.Ewma(Block((40, 300)));
        points[27].Ratio!.Value.ShouldBe(1, 1e-9);
        points[26].Ratio.ShouldBeNull();
    }

    [Fact]
    public void EwmaAndRolling_WeekOfDoubleLoad_DifferAsHandComputed()
    {
        // 28 days at 100 AU, then 7 days at 200 AU.
        // EWMA: acute = 200 − 100·0.75⁷ = 186.65; chronic = 200 − 100·(27/29)⁷ = 139.36; ratio 1.339 (in range).
        // Rolling: acute 200, chronic (21·100 + 7·200)/28 = 125; ratio 1.6 (high).
        var days = Block((28, 100), (7, 200));
        var ewma = TrainingLoad.Ewma(days)[^1];
        ewma.Acute.ShouldBe(186.65, 0.01);
        ewma.Chronic.ShouldBe(139.36, 0.01);
        ewma.Ratio!.Value.ShouldBe(1.3393, 0.0005);
        ewma.Flag.ShouldBe(WorkloadFlag.InRange);

        var rolling = TrainingLoad.Rolling(days)[^1];
        rolling.Acute.ShouldBe(200);
        rolling.Chronic.ShouldBe(125);
        rolling.Ratio!.Value.ShouldBe(1.6, 1e-9);
        rolling.Flag.ShouldBe(WorkloadFlag.High);
    }

    [Fact]
    public void Rolling_WeekOff_IsLow()
    {
        var last = TrainingLoad.Rolling(Block((28, 100), (7, 0)))[^1];
        last.Ratio!.Value.ShouldBe(0);
        last.Flag.ShouldBe(WorkloadFlag.Low);
    }

    [Fact]
    public void Rolling_NoChronicLoad_NoRatio()
        => TrainingLoad.Rolling(Block((30, 0)))[^1].Flag.ShouldBe(WorkloadFlag.InsufficientData);

    [Theory]
    [InlineData(1.51, WorkloadFlag.High)]
    [InlineData(1.5, WorkloadFlag.InRange)]
    [InlineData(0.8, WorkloadFlag.InRange)]
    [InlineData(0.79, WorkloadFlag.Low)]
    [InlineData(null, WorkloadFlag.InsufficientData)]
    public void Classify_Thresholds_AreStrict(double? ratio, WorkloadFlag flag) => TrainingLoad.Classify(ratio).ShouldBe(flag);

    [Fact]
    public void Daily_SumsSameDayAndFillsGaps()
    {
        var days = TrainingLoad.Daily([(Day0, 100), (Day0, 50), (Day0.AddDays(3), 200)]);
        days.Select(d => d.Load).ShouldBe([150, 0, 0, 200]);
        days[3].Date.ShouldBe(Day0.AddDays(3));
    }

    [Fact]
    public void Daily_FromTo_ExtendsWithZeros()
        => TrainingLoad.Daily([(Day0.AddDays(1), 10)], Day0, Day0.AddDays(2)).Select(d => d.Load).ShouldBe([0, 10, 0]);

    [Fact]
    public void Ewma_GapInDays_Throws()
        => Should.Throw<ArgumentException>(() => TrainingLoad.Ewma([new(Day0, 1), new(Day0.AddDays(2), 1)])).Message.ShouldContain("consecutive");

    [Fact]
    public void Rolling_NegativeLoad_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => TrainingLoad.Rolling(Days(10, -1)));

    [Fact]
    public void Ewma_AcuteNotShorterThanChronic_Throws()
        => Should.Throw<ArgumentOutOfRangeException>(() => TrainingLoad.Ewma(Days(1, 2), acuteDays: 28, chronicDays: 28));

    [Fact]
    public void Caveat_SaysNotAnInjuryPrediction() => TrainingLoad.Caveat.ShouldContain("not an injury prediction");
}
