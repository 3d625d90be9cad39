using System.CommandLine;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core;
using OpenBfr.Core.Metrics;

namespace OpenBfr.Cli.Commands;

/// <summary><c>openbfr vdot</c>, <c>openbfr vo2max</c>, <c>openbfr one-rm</c>.</summary>
public static class MetricsCommands
{
    /// <summary><c>openbfr vdot --distance 5k --time 19:57</c>.</summary>
    public static Command Vdot()
    {
        var distance = new Option<double>("--distance")
        {
            Description = "Race distance: metres (5000) or 5k, 10k, half, marathon",
            Required = true,
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (RunningFitness.TryParseDistance(text, out var m)) return m;
                r.AddError($"--distance: '{text}' is not a distance; use metres (e.g. 5000) or 5k, 10k, half, marathon");
                return 0;
            },
        };
        var time = CliOptions.Duration("--time", "Race time");
        var command = new Command("vdot", "VDOT from a race result (Daniels & Gilbert 1979)") { distance, time };
        command.SetOpenBfrAction((pr, cli) =>
        {
            var metres = pr.GetValue(distance);
            var t = pr.GetValue(time);
            var vdot = RunningFitness.Vdot(metres, t);
            var dto = new VdotDto(Math.Round(vdot, 1), metres, Text.Clock(t), Sources.DanielsGilbert1979);
            return cli.Write(dto, d => $"VDOT {Text.N(d.Vdot)} ({Text.N(d.DistanceMetres)} m in {d.Time}; {d.Source})");
        }, new CoreErrorMap().Field("distance", distance).Field("time", time));
        return command;
    }

    /// <summary><c>openbfr vo2max --mile-and-half 12:00</c>.</summary>
    public static Command Vo2Max()
    {
        var run = CliOptions.Duration("--mile-and-half", "Time for a 1.5-mile (2414 m) run, 6–30 min");
        var command = new Command("vo2max", "VO2max from a 1.5-mile run: 483 / minutes + 3.5 (ACSM)") { run };
        command.SetOpenBfrAction((pr, cli) =>
        {
            var t = pr.GetValue(run);
            var dto = new Vo2MaxDto(Math.Round(RunningFitness.Vo2MaxFromMileAndHalf(t), 2), Text.Clock(t), "ml/kg/min", Sources.Acsm);
            return cli.Write(dto, d => $"VO2max {Text.N(d.Vo2max, "0.##")} {d.Unit} (1.5 miles in {d.MileAndHalf}; {d.Source})");
        }, new CoreErrorMap().Field("time", run));
        return command;
    }

    /// <summary><c>openbfr one-rm --weight-kg 100 --reps 10</c>.</summary>
    public static Command OneRm()
    {
        var weight = CliOptions.Number("--weight-kg", "Weight lifted, kg");
        var reps = CliOptions.Integer("--reps", "Repetitions to failure, 1–12");
        var command = new Command("one-rm", "Estimated one-repetition maximum (Epley, Brzycki); refuses more than 12 reps") { weight, reps };
        command.SetOpenBfrAction((pr, cli) =>
        {
            var w = pr.GetValue(weight);
            var r = pr.GetValue(reps);
            var est = Strength.EstimateOneRepMax(w, r);
            // The BFR load is taken from the lower of the two estimates: the conservative side.
            var oneRm = Math.Min(est.EpleyKg, est.BrzyckiKg);
            var dto = new OneRmDto(Math.Round(est.EpleyKg, 1), Math.Round(est.BrzyckiKg, 1), w, r,
                Math.Round(oneRm * Strength.BfrLoadLowPercent1Rm / 100, 1), Math.Round(oneRm * Strength.BfrLoadHighPercent1Rm / 100, 1),
                [Sources.Epley1985, Sources.Brzycki1993, Sources.SeedRunnersEndurance]);
            return cli.Write(dto, d =>
                $"1RM from {Text.N(d.WeightKg)} kg x {d.Reps}: Epley {Text.N(d.EpleyKg)} kg, Brzycki {Text.N(d.BrzyckiKg)} kg\n" +
                $"BFR resistance load ({Text.N(Strength.BfrLoadLowPercent1Rm)}–{Text.N(Strength.BfrLoadHighPercent1Rm)}% 1RM): {Text.N(d.BfrLoadLowKg)}–{Text.N(d.BfrLoadHighKg)} kg\n");
        }, new CoreErrorMap().Field("weightKg", weight).Field("reps", reps));
        return command;
    }
}

/// <summary>The JSON of <c>vdot</c>.</summary>
public sealed record VdotDto(double Vdot, double DistanceMetres, string Time, string Source);

/// <summary>The JSON of <c>vo2max</c>.</summary>
public sealed record Vo2MaxDto(double Vo2max, string MileAndHalf, string Unit, string Source);

/// <summary>The JSON of <c>one-rm</c>.</summary>
public sealed record OneRmDto(double EpleyKg, double BrzyckiKg, double WeightKg, int Reps, double BfrLoadLowKg, double BfrLoadHighKg, IReadOnlyList<string> Sources);
