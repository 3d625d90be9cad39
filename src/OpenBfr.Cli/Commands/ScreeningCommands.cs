using System.CommandLine;
using System.Globalization;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;

namespace OpenBfr.Cli.Commands;

/// <summary><c>openbfr screen</c>: the contraindication screening, per limb, with reasons and sources.</summary>
public static class ScreeningCommands
{
    public static Command Create()
    {
        var answers = new Option<string>("--answers")
        {
            Description = "Answers file (JSON or YAML; see examples/screening-healthy.yaml). Without it, the questions are asked at the terminal",
        };
        var template = new Option<bool>("--template") { Description = "Print a YAML answers file to fill in, and exit" };
        var command = new Command("screen", "Screen for BFR contraindications: Eligible, NeedsClearance or NotEligible per limb, with reasons") { answers, template };
        command.SetOpenBfrAction((pr, cli) =>
        {
            var q = Questionnaire.Default;
            if (pr.GetValue(template))
            {
                cli.Out.Write(ScreeningAnswersFile.Template(q));
                return ExitCodes.Success;
            }
            var path = pr.GetValue(answers);
            ScreeningAnswers given;
            if (path is not null)
            {
                given = ScreeningAnswersFile.Read(path, answers.Name, q, cli.Today);
            }
            else if (cli.IsInteractive)
            {
                given = Ask(cli, q);
                path = "(terminal)";
            }
            else
            {
                throw new UsageException(answers.Name, null,
                    "required when no terminal is attached; give a JSON or YAML answers file (openbfr screen --template prints one)");
            }
            var result = ScreeningAnswersFile.Evaluate(given, path, answers.Name, q, cli.Today);
            return cli.Write(ScreeningDto.From(result), _ => Describe(result));
        });
        return command;
    }

    /// <summary>Text: one line per limb, then the reasons with their sources.</summary>
    public static string Describe(ScreeningResult r)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var limb in r.Limbs)
        {
            var why = limb.ReasonIds.Count == 0 ? "" : "  " + string.Join("; ", limb.ReasonIds);
            var cleared = limb.ConservativePressure && r.Clearance is { } c
                ? $" (cleared by {c.Clinician} on {c.ClearedOn:yyyy-MM-dd}: conservative pressure, low end of the range)"
                : "";
            sb.AppendLine($"{limb.Limb.ToKebab(),-10} {limb.Eligibility,-14}{cleared}{why}".TrimEnd());
        }
        if (r.Reasons.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Reasons:");
            foreach (var reason in r.Reasons)
            {
                var limbs = reason.Limbs.Count == LimbExtensions.All.Count ? "all limbs" : string.Join(", ", reason.Limbs.Select(l => l.ToKebab()));
                var cleared = reason.ClearedLimbs.Count > 0 ? $"; cleared for {string.Join(", ", reason.ClearedLimbs.Select(l => l.ToKebab()))}" : "";
                sb.AppendLine($"- {reason.ItemId} ({reason.Class}, {limbs}{cleared}): {reason.Finding}");
                sb.AppendLine($"  source: {string.Join("; ", reason.Sources)}");
            }
        }
        if (r.ExpiredClearances() is { Count: > 0 } expired)
        {
            sb.AppendLine();
            sb.AppendLine("Expired:");
            foreach (var line in expired)
            {
                sb.AppendLine($"- {line}");
            }
        }
        if (r.Limbs.Any(l => l.Eligibility == Eligibility.NeedsClearance))
        {
            sb.AppendLine();
            sb.AppendLine("NeedsClearance: a clinician must review these findings and record clearance before BFR; then pressures stay at the low end of the range.");
        }
        return sb.ToString();
    }

    /// <summary>Asks every question at the terminal (prompts on stderr, answers from stdin).</summary>
    private static ScreeningAnswers Ask(CliContext cli, Questionnaire q)
    {
        cli.Error.WriteLine($"OpenBFR screening ({q.Items.Count(i => i.IsYesNo)} questions plus age and blood pressure). Answer honestly; 'no' only when you are sure.");
        var age = AskInt(cli, "Age (years)", 10, 110);
        var systolic = AskInt(cli, "Resting systolic blood pressure (mmHg, the top number)", 70, 260);
        var diastolic = AskInt(cli, "Resting diastolic blood pressure (mmHg, the bottom number)", 40, systolic - 1);
        var answers = new Dictionary<string, ItemAnswer>();
        foreach (var item in q.YesNoItems)
        {
            var yes = AskYesNo(cli, item.Question);
            answers[item.Id] = !yes ? ItemAnswer.No
                : item.IsLimbSpecific ? ItemAnswer.OnLimbs(AskLimbs(cli)) : ItemAnswer.YesAnswer;
        }
        return new ScreeningAnswers(age, systolic, diastolic, answers);
    }

    private static string ReadAnswer(CliContext cli, string prompt)
    {
        cli.Error.Write(prompt + " ");
        cli.Error.Flush();
        return cli.In.ReadLine()?.Trim()
            ?? throw new UsageException("--answers", null, "input ended before every question was answered; give an answers file instead");
    }

    private static int AskInt(CliContext cli, string prompt, int min, int max)
    {
        while (true)
        {
            var text = ReadAnswer(cli, $"{prompt}:");
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
            cli.Error.WriteLine($"  please enter a whole number from {min} to {max}");
        }
    }

    private static bool AskYesNo(CliContext cli, string question)
    {
        while (true)
        {
            var text = ReadAnswer(cli, $"{question} [y/n]").ToLowerInvariant();
            if (text is "y" or "yes") return true;
            if (text is "n" or "no") return false;
            cli.Error.WriteLine("  please answer y or n");
        }
    }

    private static List<Limb> AskLimbs(CliContext cli)
    {
        while (true)
        {
            var text = ReadAnswer(cli, "  Which limbs? (comma-separated: left-arm, right-arm, left-leg, right-leg)");
            var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var limbs = new List<Limb>();
            foreach (var p in parts)
            {
                if (LimbExtensions.TryParseLimb(p, out var l)) limbs.Add(l);
            }
            if (parts.Length > 0 && limbs.Count == parts.Length) return limbs;
            cli.Error.WriteLine("  please name at least one limb: left-arm, right-arm, left-leg or right-leg");
        }
    }
}

/// <summary>The JSON of <c>screen</c>.</summary>
public sealed record ScreeningDto(
    IReadOnlyDictionary<string, Eligibility> Limbs,
    IReadOnlyList<string> ConservativePressureLimbs,
    IReadOnlyList<ScreeningReasonDto> Reasons,
    ClearanceDto? Clearance,
    int QuestionnaireVersion)
{
    public static ScreeningDto From(ScreeningResult r) => new(
        r.Limbs.ToDictionary(l => l.Limb.ToKebab(), l => l.Eligibility),
        r.Limbs.Where(l => l.ConservativePressure).Select(l => l.Limb.ToKebab()).ToList(),
        r.Reasons.Select(x => new ScreeningReasonDto(x.ItemId, x.Finding, x.Class,
            x.Limbs.Select(l => l.ToKebab()).ToList(), x.ClearedLimbs.Select(l => l.ToKebab()).ToList(), x.Sources)).ToList(),
        r.Clearance is { } c ? new ClearanceDto(c.Clinician, Day(c.ClearedOn), c.ItemIds,
            c.Limbs?.Select(l => l.ToKebab()).ToList(), c.Note, Day(c.ExpiresOn), r.ClearanceExpired) : null,
        r.QuestionnaireVersion);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>One reason on the wire.</summary>
public sealed record ScreeningReasonDto(string Item, string Finding, ScreeningClass Class, IReadOnlyList<string> Limbs, IReadOnlyList<string> ClearedLimbs, IReadOnlyList<string> Sources);

/// <summary>A clearance on the wire.</summary>
/// <param name="Clinician">who cleared.</param>
/// <param name="Date">the day of the clearance (yyyy-mm-dd).</param>
/// <param name="Items">the NeedsClearance items cleared.</param>
/// <param name="Limbs">the limbs cleared; null for all.</param>
/// <param name="Note">the clinician's remarks.</param>
/// <param name="ExpiresOn">the first day it no longer counts: 12 months after <paramref name="Date"/> (PAR-Q+).</param>
/// <param name="Expired">it had expired today, so it cleared nothing.</param>
public sealed record ClearanceDto(string Clinician, string Date, IReadOnlyList<string> Items, IReadOnlyList<string>? Limbs, string? Note, string ExpiresOn, bool Expired);
