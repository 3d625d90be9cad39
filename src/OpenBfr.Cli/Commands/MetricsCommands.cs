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

    /// <summary><c>openbfr lsi --involved 80 --uninvolved 100 [--pain 1] [--timed]</c>: limb symmetry and the return-to-run gates.</summary>
    public static Command Lsi()
    {
        var involved = CliOptions.Number("--involved", "Result of the injured or operated limb (strength, hop distance...), > 0");
        var uninvolved = CliOptions.Number("--uninvolved", "Result of the other limb, same unit, > 0");
        var pain = CliOptions.OptionalNumber("--pain", "Pain during the test, 0–10 (checks the return-to-run gates)");
        var timed = new Option<bool>("--timed") { Description = "The results are times, lower is better (6 m timed hop): LSI = uninvolved / involved x 100 (Noyes et al. 1991)" };
        var command = new Command("lsi", "Limb symmetry index (involved / uninvolved x 100; with --timed uninvolved / involved) and the return-to-run gates") { involved, uninvolved, pain, timed };
        command.SetOpenBfrAction((pr, cli) =>
        {
            var lsi = pr.GetValue(timed)
                ? Strength.TimedLimbSymmetryIndex(pr.GetValue(involved), pr.GetValue(uninvolved))
                : Strength.LimbSymmetryIndex(pr.GetValue(involved), pr.GetValue(uninvolved));
            var p = pr.GetValue(pain);
            var gates = p is { } painScore
                ? ReturnToRunGate.Defaults.Select(g => new GateDto(g.Name, g.Description, g.IsMet(painScore, Math.Min(lsi, 200)), g.Unmet(painScore, Math.Min(lsi, 200)), g.Source)).ToList()
                : null;
            var dto = new LsiDto(Math.Round(lsi, 1), p, gates);
            return cli.Write(dto, d =>
                $"Limb symmetry index {Text.N(d.Lsi)}%\n" +
                (d.Gates is null ? "(give --pain to check the return-to-run gates)\n" : string.Join("", d.Gates.Select(g =>
                    $"{g.Name}: {(g.Met ? "met" : "not met")}{(g.Unmet.Count > 0 ? " — " + string.Join("; ", g.Unmet) : "")} ({g.Source})\n"))));
        }, new CoreErrorMap().Field("involved", involved).Field("uninvolved", uninvolved).Field("involvedTime", involved).Field("uninvolvedTime", uninvolved)
            .Field("pain", pain).Field("lsi", involved));
        return command;
    }
}

/// <summary>The JSON of <c>vdot</c>.</summary>
public sealed record VdotDto(double Vdot, double DistanceMetres, string Time, string Source);

/// <summary>The JSON of <c>vo2max</c>.</summary>
public sealed record Vo2MaxDto(double Vo2max, string MileAndHalf, string Unit, string Source);

/// <summary>The JSON of <c>one-rm</c>.</summary>
public sealed record OneRmDto(double EpleyKg, double BrzyckiKg, double WeightKg, int Reps, double BfrLoadLowKg, double BfrLoadHighKg, IReadOnlyList<string> Sources);

/// <summary>The JSON of <c>lsi</c>.</summary>
public sealed record LsiDto(double Lsi, double? Pain, IReadOnlyList<GateDto>? Gates);

/// <summary>One return-to-run gate on the wire.</summary>
public sealed record GateDto(string Name, string Description, bool Met, IReadOnlyList<string> Unmet, string Source);
