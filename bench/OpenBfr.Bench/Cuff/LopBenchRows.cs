using System.Diagnostics;
using System.Globalization;
using OpenBfr.Core.Limbs;
using OpenBfr.Cuff.Lop;
using OpenBfr.Cuff.Simulation;

namespace OpenBfr.Bench.Cuff;

/// <summary>
/// The automatic-LOP rows of the cuff table (issue 3): at least 500 simulated legs from
/// <see cref="LimbPopulation"/> (heart rate, blood pressure, device and sensor varied), the true
/// LOP drawn uniformly from 100–300 mmHg, positions in turn, motion artefact ×0.5–3 of the
/// position's own; the finder runs once per limb with its defaults.
/// </summary>
public static class LopBenchRows
{
    /// <summary>Limbs measured: the issue asks for at least 500.</summary>
    public const int MinLimbs = 500;

    public static IEnumerable<CuffBenchRow> Rows(CuffBenchSettings settings)
    {
        var count = Math.Max(MinLimbs, settings.Limbs);
        var population = LimbPopulation.Create(count, settings.Seed + 1, LimbKind.Leg);
        var random = new Random(settings.Seed);
        var results = new List<(BodyPosition Position, double True, LopMeasurement M)>(count);
        var wall = Stopwatch.StartNew();
        foreach (var limb in population)
        {
            var trueLop = 100 + 200 * random.NextDouble();
            var measured = limb with { TrueLopMmHg = trueLop, MotionArtifactSdMl = limb.MotionArtifactSdMl * (0.5 + 2.5 * random.NextDouble()) };
            results.Add((measured.Position, trueLop, LopFinderRig.Measure(measured)));
        }
        wall.Stop();

        var ok = results.Where(r => r.M.Succeeded).ToList();
        var errors = ok.Select(r => Math.Abs(r.M.Lop!.Value.MmHg - r.True)).Order().ToList();
        var seconds = results.Select(r => r.M.Duration.TotalSeconds).Order().ToList();
        var name = $"automatic LOP, {count} legs (LOP 100–300 mmHg, 3 positions, noise levels)";
        string Dash() => "–";

        var median = Quantile(errors, 0.5);
        var p95 = Quantile(errors, 0.95);
        yield return new CuffBenchRow($"{name}: |error| median / 95th percentile, mmHg (successes)",
            $"{F(median)} / {F(p95)}", Dash(), Dash(), "≤ 3 / ≤ 8", median <= 3 && p95 <= 8);
        var worst = errors.Count == 0 ? double.NaN : errors[^1];
        yield return new CuffBenchRow($"{name}: largest error reported as a success, mmHg",
            F(worst), Dash(), Dash(), "≤ 15", worst <= 15);
        var medianS = Quantile(seconds, 0.5);
        yield return new CuffBenchRow($"{name}: seconds to a result, median / 95th percentile",
            $"{F(medianS)} / {F(Quantile(seconds, 0.95))}", Dash(), Dash(), "median ≤ 45", medianS <= 45);
        foreach (var position in new[] { BodyPosition.Supine, BodyPosition.Seated, BodyPosition.Standing })
        {
            var group = results.Where(r => r.Position == position).ToList();
            var rate = group.Count == 0 ? double.NaN : 100.0 * group.Count(r => r.M.Succeeded) / group.Count;
            var reasons = group.Where(r => !r.M.Succeeded).GroupBy(r => r.M.Failure).OrderByDescending(g => g.Count())
                .Select(g => $"{g.Count()} {Kebab(g.Key.ToString())}");
            var failures = string.Join(", ", reasons);
            yield return new CuffBenchRow($"{name}: success {position.ToString().ToLowerInvariant()} ({group.Count} legs{(failures.Length > 0 ? "; failed: " + failures : "")})",
                $"{F(rate)}%", Dash(), Dash(), "≥ 95%", rate >= 95);
        }
        yield return new CuffBenchRow($"{name}: simulated seconds per wall second, finder included",
            F(seconds.Sum() / Math.Max(1e-9, wall.Elapsed.TotalSeconds)), Dash(), Dash(), Dash(), null);
    }

    private static double Quantile(List<double> sorted, double q)
        => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
