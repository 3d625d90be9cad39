using OpenBfr.Core.Metrics;
using OpenBfr.Core.Planning;
using OpenBfr.Core.Planning.Load;

namespace OpenBfr.Core.Tests.Planning;

public class HistoryLoadTests
{
    private static readonly DateOnly Monday = new(2026, 10, 5);

    private static LoggedSession Run(DateOnly day, double minutes, double km, int? hr = null, double? rpe = null)
        => new(new DateTimeOffset(day.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero), TimeSpan.FromMinutes(minutes), km, true, hr, rpe);

    [Theory]
    [InlineData(140, 200, 4)]   // 70% HRmax
    [InlineData(160, 200, 6)]   // 80%
    [InlineData(180, 200, 8)]   // 90%
    [InlineData(80, 200, 1)]    // 40%: clamped to 1
    [InlineData(210, 200, 10)]  // above max: clamped to 10
    public void RpeFromHeartRate_ShareOfMax_MapsLinearly(int hr, int max, double expected)
        => HistoryLoadCalculator.RpeFromHeartRate(hr, max).ShouldBe(expected);

    [Fact]
    public void From_MixedSources_MarksEstimatesAndComputesSessionRpe()
    {
        var load = HistoryLoadCalculator.From(
        [
            Run(Monday, 60, 10, rpe: 3),
            Run(Monday.AddDays(1), 50, 9, hr: 160),
            Run(Monday.AddDays(2), 30, 5),
        ], maxHeartRate: 200);
        load.Sessions.Select(s => (s.RpeSource, s.Load)).ShouldBe(
        [
            (RpeSource.Recorded, 180.0),      // Foster: 3 × 60
            (RpeSource.FromHeartRate, 300.0), // 80% HRmax → 6 × 50
            (RpeSource.Assumed, 120.0),       // 4 × 30
        ]);
        var week = load.Weeks.ShouldHaveSingleItem();
        week.WeekStart.ShouldBe(Monday);
        week.Runs.ShouldBe(3);
        week.RunKm.ShouldBe(24);
        week.Time.ShouldBe(TimeSpan.FromMinutes(140));
        week.Load.ShouldBe(600);
        week.EstimatedRpeSessions.ShouldBe(2);
        week.EwmaFlag.ShouldBe(WorkloadFlag.InsufficientData);
        load.Caveat.ShouldContain("not an injury prediction");
        load.RpeMethod.ShouldContain("estimated");
    }

    [Fact]
    public void From_FourSteadyWeeksThenTripleVolume_FlagsASpikeThePlannerActsOn()
    {
        var sessions = new List<LoggedSession>();
        for (var d = 0; d < 28; d++) sessions.Add(Run(Monday.AddDays(d), 40, 7, rpe: 4));
        for (var d = 28; d < 35; d++) sessions.Add(Run(Monday.AddDays(d), 120, 20, rpe: 5));
        var load = HistoryLoadCalculator.From(sessions, 190);
        load.Weeks.Count.ShouldBe(5);
        load.Weeks[3].EwmaFlag.ShouldBe(WorkloadFlag.InRange);
        load.Weeks[3].EwmaRatio!.Value.ShouldBe(1.0, 0.001);
        load.Weeks[4].EwmaFlag.ShouldBe(WorkloadFlag.High);
        load.Weeks[4].RollingFlag.ShouldBe(WorkloadFlag.High);
        var imported = load.ToImportedLoad()!;
        imported.AsOf.ShouldBe(Monday.AddDays(34));
        imported.EwmaRatio!.Value.ShouldBeGreaterThan(1.5);
    }

    [Fact]
    public void From_ThroughALaterDay_AddsRestDaysAndLowersTheAcuteLoad()
    {
        var sessions = Enumerable.Range(0, 35).Select(d => Run(Monday.AddDays(d), 40, 7, rpe: 4)).ToList();
        var onLastRun = HistoryLoadCalculator.From(sessions, 190);
        var weekLater = HistoryLoadCalculator.From(sessions, 190, through: Monday.AddDays(41));
        weekLater.AsOf.ShouldBe(Monday.AddDays(41));
        weekLater.Ewma!.Ratio!.Value.ShouldBeLessThan(onLastRun.Ewma!.Ratio!.Value);
        weekLater.Rolling!.Flag.ShouldBe(WorkloadFlag.Low);
    }

    [Fact]
    public void From_NoSessions_IsEmptyAndHasNoImportedLoad()
    {
        var load = HistoryLoadCalculator.From([], 190);
        load.Weeks.ShouldBeEmpty();
        load.ToImportedLoad().ShouldBeNull();
    }
}
