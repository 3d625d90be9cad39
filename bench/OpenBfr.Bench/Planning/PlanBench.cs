using System.Diagnostics;
using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Planning;
using OpenBfr.Core.Planning.Load;
using OpenBfr.Core.Planning.Profile;
using OpenBfr.Core.Units;
using OpenBfr.Formats;
using OpenBfr.Formats.Fit;
using OpenBfr.Formats.Import;

namespace OpenBfr.Bench.Planning;

/// <summary>
/// The <c>plan</c> suite (issue 4): import a year of generated FIT runs (≥ 300 files) and build
/// 52-week plans, each timed. Aims: import ≥ 50 MB/s of FIT, a 52-week plan in under 50 ms.
/// Arguments: [runsPerWeek=6] [repeats=5].
/// </summary>
public static class PlanBench
{
    private static readonly DateOnly FirstDay = new(2025, 12, 1);
    private static readonly DateOnly PlanStart = new(2026, 11, 30);

    public static int Run(string[] args)
    {
        if (args.Length > 0 && args[0] == "write-history") return WriteHistory(args.Length > 1 ? args[1] : "history");
        var runsPerWeek = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 6;
        var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var gen = new FitActivityGenerator(2026);
        var sw = Stopwatch.StartNew();
        // Every third file uses compressed timestamps, every fifth a developer field: the decoder's slower paths are in the mix.
        var year = gen.Year(FirstDay, runsPerWeek).Select((a, i) => i % 3 == 0 || i % 5 == 0
            ? gen.Run(a.Truth.StartTime, TimeSpan.FromSeconds(a.Truth.TimerSeconds), a.Truth.DistanceMeters > 0 ? a.Truth.TimerSeconds / (a.Truth.DistanceMeters / 1000) : 330,
                new FitActivityLayout(CompressedTimestamps: i % 3 == 0, DeveloperField: i % 5 == 0))
            : a).ToList();
        var generateSeconds = sw.Elapsed.TotalSeconds;
        var totalBytes = year.Sum(a => (long)a.Bytes.Length);
        var dir = Directory.CreateTempSubdirectory("openbfr-bench-plan-").FullName;
        try
        {
            var paths = new List<string>();
            foreach (var a in year)
            {
                var path = Path.Combine(dir, a.FileName);
                File.WriteAllBytes(path, a.Bytes);
                paths.Add(path);
            }

            // Import from memory: the decoder alone.
            var memory = Time(repeats, () => year.Sum(a => ActivityImporter.Parse(a.Bytes, a.FileName).Count));
            // Import from disk: ImportFiles as the CLI calls it (read + decode, all-or-nothing per file).
            IReadOnlyList<RunActivity> activities = [];
            var disk = Time(repeats, () => { var b = ActivityImporter.ImportFiles(paths); activities = b.Activities; return b.Failures.Count; });
            var sessions = activities.Select(a => new LoggedSession(a.StartTime, a.MovingTime, a.TotalDistanceMeters / 1000, a.Sport == ActivitySport.Running, a.AverageHeartRate)).ToList();
            HistoryLoad load = null!;
            var loadTime = Time(repeats * 10, () => { load = HistoryLoadCalculator.From(sessions, 186, PlanStart.AddDays(-1)); return load.Weeks.Count; });

            var healthy = Healthy();
            var injured = healthy with
            {
                Name = "bench ACL",
                Goal = null,
                Injury = new Injury(InjuryKind.AclReconstruction, PlanStart.AddDays(-60), Side.Right),
                Tests = [new RehabTest(PlanStart.AddDays(-58), null, null, true), new RehabTest(PlanStart.AddDays(-45), 1, null, true), new RehabTest(PlanStart.AddDays(-5), 1, 74, true)],
            };
            var imported = load.ToImportedLoad();
            TrainingPlan plan = null!;
            var planHealthy = Time(200, () => { plan = Planner.Build(new PlanRequest(healthy, PlanStart, 52, imported)); return plan.Weeks.Count; });
            var sessionsHealthy = plan.Sessions.Count();
            var planInjured = Time(200, () => { plan = Planner.Build(new PlanRequest(injured, PlanStart, 52, imported)); return plan.Weeks.Count; });
            var sessionsInjured = plan.Sessions.Count();

            var mb = totalBytes / 1e6;
            Console.WriteLine($"plan suite: {year.Count} generated FIT runs ({runsPerWeek}/week for 52 weeks), {mb:0.0} MB, generated in {generateSeconds:0.0} s; {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine("| measurement | median | best | throughput | aim |");
            Console.WriteLine("|---|---|---|---|---|");
            Console.WriteLine($"| import, decode from memory ({year.Count} files) | {memory.Median * 1000:0.0} ms | {memory.Best * 1000:0.0} ms | {mb / memory.Median:0} MB/s | ≥ 50 MB/s |");
            Console.WriteLine($"| import, read + decode files (ImportFiles) | {disk.Median * 1000:0.0} ms | {disk.Best * 1000:0.0} ms | {mb / disk.Median:0} MB/s | ≥ 50 MB/s |");
            Console.WriteLine($"| training load of the year (session-RPE, EWMA + rolling ACWR) | {loadTime.Median * 1000:0.00} ms | {loadTime.Best * 1000:0.00} ms | {sessions.Count} sessions | – |");
            Console.WriteLine($"| 52-week plan, marathon build with LOPs and imported load ({sessionsHealthy} sessions) | {planHealthy.Median * 1000:0.00} ms | {planHealthy.Best * 1000:0.00} ms | – | < 50 ms |");
            Console.WriteLine($"| 52-week plan, ACL rehab pathway ({sessionsInjured} sessions) | {planInjured.Median * 1000:0.00} ms | {planInjured.Best * 1000:0.00} ms | – | < 50 ms |");
            Console.WriteLine();
            Console.WriteLine($"imported load as of {load.AsOf:yyyy-MM-dd}: EWMA ACWR {load.Ewma?.Ratio:0.00} ({load.Ewma?.Flag}), rolling {load.Rolling?.Ratio:0.00} ({load.Rolling?.Flag}); {TrainingLoadCaveat}");
            var ok = mb / memory.Median >= 50 && planHealthy.Median < 0.050 && planInjured.Median < 0.050;
            Console.WriteLine(ok ? "all aims met" : "an aim was missed (see the table)");
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Writes six weeks of generated FIT runs ending 2026-12-06 (the README's import example): five steady
    /// weeks of five runs, then a week with half as much again, so the load ratio flags a spike.
    /// </summary>
    private static int WriteHistory(string dir)
    {
        Directory.CreateDirectory(dir);
        var gen = new FitActivityGenerator(42);
        var monday = new DateOnly(2026, 10, 26);
        int[] days = [0, 1, 3, 5, 6];
        int[] minutes = [40, 45, 40, 45, 75];
        var count = 0;
        for (var week = 0; week < 6; week++)
        {
            for (var i = 0; i < days.Length; i++)
            {
                var start = new DateTimeOffset(monday.AddDays(week * 7 + days[i]).ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero);
                var run = gen.Run(start, TimeSpan.FromMinutes(week == 5 ? minutes[i] * 1.6 : minutes[i]), i == 4 ? 345 : 320);
                File.WriteAllBytes(Path.Combine(dir, $"{start:yyyy-MM-dd}-run.fit"), run.Bytes);
                count++;
            }
        }
        Console.WriteLine($"wrote {count} FIT runs to {dir}");
        return 0;
    }

    private const string TrainingLoadCaveat = "a ratio is a flag, not an injury prediction";

    private static RunnerProfile Healthy()
    {
        var measured = new DateTimeOffset(PlanStart.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new RunnerProfile
        {
            Name = "bench marathoner",
            AgeYears = 38,
            Sex = Sex.Female,
            WeeklyKm = 60,
            Goal = new GoalRace(RaceDistance.Marathon, PlanStart.AddDays(7 * 40 + 6)),
            AvailableDays = new HashSet<DayOfWeek> { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Thursday, DayOfWeek.Saturday, DayOfWeek.Sunday },
            KeyWorkoutDays = new HashSet<DayOfWeek> { DayOfWeek.Tuesday, DayOfWeek.Thursday },
            LongRunDay = DayOfWeek.Sunday,
            Cuffs = [CuffDescription.StandardLeg, CuffDescription.StandardLeg],
            Lops =
            [
                new LimbOcclusionPressure(Pressure.FromMmHg(210), Limb.LeftLeg, BodyPosition.Standing, CuffDescription.StandardLeg, LopMethod.Doppler, measured),
                new LimbOcclusionPressure(Pressure.FromMmHg(216), Limb.RightLeg, BodyPosition.Standing, CuffDescription.StandardLeg, LopMethod.Doppler, measured),
                new LimbOcclusionPressure(Pressure.FromMmHg(180), Limb.RightLeg, BodyPosition.Seated, CuffDescription.StandardLeg, LopMethod.Doppler, measured),
            ],
            OneRepMaxes = [new OneRepMax("squat", 80)],
        };
    }

    private sealed record Timing(double Median, double Best);

    /// <summary>Runs <paramref name="work"/> once to warm up, then <paramref name="repeats"/> times; seconds.</summary>
    private static Timing Time(int repeats, Func<int> work)
    {
        var sink = work();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            sink += work();
            times[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        GC.KeepAlive(sink);
        return new Timing(times[repeats / 2], times[0]);
    }
}
