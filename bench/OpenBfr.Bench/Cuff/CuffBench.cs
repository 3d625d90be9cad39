using System.Diagnostics;
using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Cuff.Control;
using OpenBfr.Cuff.Simulation;
using OpenBfr.Cuff.Transport;

namespace OpenBfr.Bench.Cuff;

/// <summary>One row of the cuff table: a measure, OpenBFR's value beside the two baselines, the target, and whether it is met.</summary>
/// <param name="Measure">what is measured, on what ("Swain leg press, 48 legs: exercise time within ±10%").</param>
/// <param name="OpenBfr">OpenBFR's value.</param>
/// <param name="BangBang">the bang-bang baseline's value, or "–".</param>
/// <param name="Unregulated">the unregulated baseline's value, or "–".</param>
/// <param name="Target">the target (issue 3), or "–".</param>
/// <param name="Met">whether OpenBFR meets the target; null when there is none.</param>
public sealed record CuffBenchRow(string Measure, string OpenBfr, string BangBang, string Unregulated, string Target, bool? Met);

/// <summary>Settings of one bench run (from the command line).</summary>
/// <param name="Limbs">simulated limbs per scenario.</param>
/// <param name="Seed">seed of the limb populations.</param>
public sealed record CuffBenchSettings(int Limbs, int Seed);

/// <summary>
/// The <c>cuff</c> suite (DESIGN.md section 7, issue 3): pressure hold on the Swain et al. 2025
/// leg-press scenario for OpenBFR's controller beside the unregulated and bang-bang baselines,
/// on the same seeded limbs and disturbances, and simulation speed; one table.
/// </summary>
public static class CuffBench
{
    /// <summary>
    /// Row providers, in table order. Each gets the settings and returns its rows; everything is
    /// measured in this run. The automatic-LOP rows register here (one entry).
    /// </summary>
    private static readonly Func<CuffBenchSettings, IEnumerable<CuffBenchRow>>[] RowProviders =
    [
        HoldRows,
        LopBenchRows.Rows,
        SpeedRows,
    ];

    /// <summary>Runs the suite: <c>cuff [--limbs N] [--seed S]</c>.</summary>
    public static int Run(string[] args)
    {
        var limbs = 48;
        var seed = 2025;
        for (var i = 0; i < args.Length; i++)
        {
            var ok = (args[i], i + 1 < args.Length ? args[i + 1] : null) switch
            {
                ("--limbs", { } v) when int.TryParse(v, CultureInfo.InvariantCulture, out limbs) && limbs is >= 3 and <= 10_000 => true,
                ("--seed", { } v) when int.TryParse(v, CultureInfo.InvariantCulture, out seed) => true,
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"cuff: unknown or bad argument '{args[i]}' (allowed: --limbs 3–10000, --seed INT)");
                return 2;
            }
            i++;
        }

        var settings = new CuffBenchSettings(limbs, seed);
        var rows = RowProviders.SelectMany(p => p(settings)).ToList();
        Console.WriteLine($"cuff bench: seed {seed}, {limbs} limbs per scenario, one thread, Release; all columns measured in this run");
        Console.WriteLine();
        Print(rows);
        return 0;
    }

    private static void Print(IReadOnlyList<CuffBenchRow> rows)
    {
        string[] header = ["measure", "OpenBFR", "bang-bang", "unregulated", "target", "met"];
        var cells = rows.Select(r => new[] { r.Measure, r.OpenBfr, r.BangBang, r.Unregulated, r.Target, r.Met switch { true => "yes", false => "NO", null => "" } }).ToList();
        BenchTable.Print(header, cells);
    }

    private static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    private static IEnumerable<CuffBenchRow> HoldRows(CuffBenchSettings settings)
    {
        var legs = LimbPopulation.Create(settings.Limbs, settings.Seed, LimbKind.Leg);
        var swain = HoldScenario.SwainLegPress;
        foreach (var row in Compare($"Swain leg press 80% LOP, {legs.Count} legs", legs, swain, prepare: null))
        {
            yield return row;
        }

        var leakLimbs = legs.Take(Math.Max(3, legs.Count / 3)).ToList();
        foreach (var row in Compare($"same + slow leak at 60 s, {leakLimbs.Count} legs", leakLimbs, swain,
                     prepare: sim => sim.InjectFault(CuffFault.SlowLeak, TimeSpan.FromSeconds(60))))
        {
            yield return row;
        }

        var hard = legs.Skip(legs.Count / 3).Take(Math.Max(3, legs.Count / 3))
            .Select(limb => limb with { ContractionVolumeMl = limb.ContractionVolumeMl * 1.5 }).ToList();
        // A stress test beyond the scenario: no target, shown for what it says about limits.
        foreach (var row in Compare($"stress: contraction ×1.5, 1.2 s reps, {hard.Count} legs", hard, swain with { SecondsPerRep = 1.2 }, prepare: null, scored: false))
        {
            yield return row;
        }

        var arms = LimbPopulation.Create(Math.Max(3, settings.Limbs / 3), settings.Seed, LimbKind.Arm);
        foreach (var row in Compare($"arm 30-15-15-15 at 40% LOP, {arms.Count} arms", arms, swain with { TargetPercentOfLop = 40 }, prepare: null))
        {
            yield return row;
        }
    }

    private static IEnumerable<CuffBenchRow> Compare(string name, IReadOnlyList<SimulatedLimb> limbs, HoldScenario scenario, Action<CuffSimulator>? prepare, bool scored = true)
    {
        string T(string target) => scored ? target : "–";
        bool? M(bool met) => scored ? met : null;
        Func<IPressureRegulator>[] makers = [() => new ClosedLoopRegulator(), () => new BangBangController(), () => new UnregulatedController()];
        var results = makers.Select(make => limbs.Select(limb => PressureHoldTrial.Run(limb, make(), scenario, prepare)).ToList()).ToArray();
        string MeanWorst(List<PressureHoldResult> rs, Func<PressureHoldResult, double> f) => $"{F1(rs.Average(f))}% (worst {F1(rs.Min(f))})";
        var ours = results[0];

        yield return new CuffBenchRow($"{name}: exercise time within ±10% of target, mean (worst limb)",
            MeanWorst(ours, r => r.ExerciseWithin10Percent), MeanWorst(results[1], r => r.ExerciseWithin10Percent), MeanWorst(results[2], r => r.ExerciseWithin10Percent),
            T("≥ 99%"), M(ours.Min(r => r.ExerciseWithin10Percent) >= 99));
        yield return new CuffBenchRow($"{name}: rest time within ±5% of target, mean (worst limb)",
            MeanWorst(ours, r => r.RestWithin5Percent), MeanWorst(results[1], r => r.RestWithin5Percent), MeanWorst(results[2], r => r.RestWithin5Percent),
            T("≥ 99%"), M(ours.Min(r => r.RestWithin5Percent) >= 99));
        string PeakLow(List<PressureHoldResult> rs) => $"{F1(rs.Max(r => r.PeakPercentOfLop))} / {F1(rs.Min(r => r.LowPercentOfLop))}";
        yield return new CuffBenchRow($"{name}: highest peak / lowest low, % LOP",
            PeakLow(ours), PeakLow(results[1]), PeakLow(results[2]), T("peak < 100"), M(ours.Max(r => r.PeakPercentOfLop) < 100));
        string AtLop(List<PressureHoldResult> rs) => $"{rs.Count(r => r.SecondsAtOrAboveLop > 0)} ({F1(rs.Sum(r => r.SecondsAtOrAboveLop))} s)";
        yield return new CuffBenchRow($"{name}: limbs ever ≥ 100% LOP (total time)",
            AtLop(ours), AtLop(results[1]), AtLop(results[2]), T("0"), M(ours.All(r => r.SecondsAtOrAboveLop == 0)));
    }

    private static IEnumerable<CuffBenchRow> SpeedRows(CuffBenchSettings settings)
    {
        // Closed loop, one cuff: a 30-minute session of 30-15-15-15 blocks (sets, rests, the
        // controller at 100 Hz, the simulator at 1 kHz), timed on one thread after a warm-up.
        // The machine may be shared, so the rate is given per second of this process's CPU time
        // (what one core delivers) and, in brackets, per wall second.
        var limb = SimulatedLimb.Leg(204, BodyPosition.Seated, settings.Seed);
        RunSession(limb, TimeSpan.FromSeconds(30));
        var (simulated, closedWall, closedCpu) = Timed(() => RunSession(limb, TimeSpan.FromMinutes(30)));

        var (simAlone, aloneWall, aloneCpu) = Timed(() =>
        {
            var sim = new CuffSimulator(limb);
            for (var i = 0; i < 1800; i++)
            {
                sim.Heartbeat();
                sim.Advance(TimeSpan.FromSeconds(1));
            }
            return sim.Elapsed;
        });

        yield return new CuffBenchRow("30-min closed-loop session, 1 cuff (1 kHz physics, 100 Hz control): CPU time (wall)",
            $"{closedCpu * 1000:0} ms ({closedWall * 1000:0} ms)", "–", "–", "< 1 s", closedCpu < 1);
        yield return new CuffBenchRow("simulated cuff-seconds per CPU second (per wall second), one core, closed loop",
            $"{Rate(simulated, closedCpu)} ({Rate(simulated, closedWall)})", "–", "–", "≥ 1,000x", simulated.TotalSeconds / closedCpu >= 1000);
        yield return new CuffBenchRow("simulated cuff-seconds per CPU second (per wall second), one core, simulator alone",
            $"{Rate(simAlone, aloneCpu)} ({Rate(simAlone, aloneWall)})", "–", "–", "–", null);
    }

    private static string Rate(TimeSpan simulated, double seconds) => (simulated.TotalSeconds / seconds).ToString("N0", CultureInfo.InvariantCulture) + "x";

    private static (TimeSpan Simulated, double WallSeconds, double CpuSeconds) Timed(Func<TimeSpan> run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var simulated = run();
        var wall = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (simulated, wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static TimeSpan RunSession(SimulatedLimb limb, TimeSpan length)
    {
        var sim = new CuffSimulator(limb);
        var regulator = new ClosedLoopRegulator();
        var target = OpenBfr.Core.Units.Pressure.FromMmHg(limb.TrueLopMmHg * 0.8);
        var tick = TimeSpan.FromMilliseconds(10);
        var inSetOrRest = TimeSpan.Zero;
        var restLeft = TimeSpan.Zero;
        var block = 0;
        int[] reps = [30, 15, 15, 15];
        while (sim.Elapsed < length)
        {
            if (!sim.InSet && sim.Elapsed > TimeSpan.FromSeconds(10))
            {
                if (restLeft <= TimeSpan.Zero)
                {
                    sim.BeginSet(reps[block++ % reps.Length], 2);
                    restLeft = TimeSpan.FromSeconds(30);
                }
                else
                {
                    restLeft -= tick;
                }
            }
            sim.Heartbeat();
            if (sim.TryReadPressure(out var reading)) sim.Command(regulator.Update(reading, target, target));
            sim.Advance(tick);
            inSetOrRest += tick;
        }
        return inSetOrRest;
    }
}
