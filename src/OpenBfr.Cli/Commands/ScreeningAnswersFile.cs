using System.Globalization;
using System.Text.Json;
using OpenBfr.Cli.Infrastructure;
using OpenBfr.Core.Limbs;
using OpenBfr.Core.Screening;
using YamlDotNet.RepresentationModel;

namespace OpenBfr.Cli.Commands;

/// <summary>
/// Reads screening answers from a JSON or YAML file (see examples/screening-*.yaml|json):
/// <code>
/// age: 34
/// bloodPressure: { systolic: 118, diastolic: 76 }
/// answers:
///   vte-history: no
///   open-wound-or-infection: [left-leg]    # limb-specific items: the limbs affected, or no / []
/// clearance:                               # optional: a clinician's recorded clearance
///   clinician: Dr Jane Doe
///   date: 2026-11-20
///   items: [diabetes]
///   limbs: [left-leg, right-leg]           # optional, default all
/// </code>
/// Every problem is a <see cref="UsageException"/> on the option that named the file.
/// </summary>
public static class ScreeningAnswersFile
{
    /// <summary>Reads and checks the file; <paramref name="today"/> (the injected clock's) bounds the clearance date.</summary>
    /// <exception cref="UsageException">unreadable, malformed or incomplete.</exception>
    public static ScreeningAnswers Read(string path, string option, Questionnaire questionnaire, DateOnly today)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException(option, path, $"cannot be read: {ex.Message}");
        }
        return Parse(text, path, option, questionnaire, today);
    }

    /// <summary>Parses answers text (JSON when it starts with '{', else YAML); a clearance dated after <paramref name="today"/> is refused.</summary>
    /// <exception cref="UsageException">malformed or incomplete.</exception>
    public static ScreeningAnswers Parse(string text, string path, string option, Questionnaire questionnaire, DateOnly today)
    {
        UsageException Bad(string problem) => new(option, null, $"{path}: {problem}");
        object? root;
        try
        {
            root = text.TrimStart().StartsWith('{') ? FromJson(JsonDocument.Parse(text).RootElement) : FromYaml(text);
        }
        catch (Exception ex) when (ex is JsonException or YamlDotNet.Core.YamlException)
        {
            throw Bad($"not valid JSON or YAML: {ex.Message.Split('\n')[0]}");
        }
        catch (ArgumentException)
        {
            throw Bad("a key appears twice");
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet reports some malformed documents (an unclosed flow sequence) this way.
            throw Bad($"not valid JSON or YAML: {ex.Message}");
        }
        if (root is not Dictionary<string, object?> map) throw Bad("expected a mapping with age, bloodPressure and answers");

        foreach (var key in map.Keys.Where(k => k is not ("age" or "bloodPressure" or "answers" or "clearance")))
        {
            throw Bad($"unknown key '{key}'; allowed: age, bloodPressure, answers, clearance");
        }
        var age = Int(map, "age", "age", Bad);
        if (map.GetValueOrDefault("bloodPressure") is not Dictionary<string, object?> bp) throw Bad("'bloodPressure' with systolic and diastolic (mmHg) is required");
        foreach (var key in bp.Keys.Where(k => k is not ("systolic" or "diastolic")))
        {
            throw Bad($"unknown key 'bloodPressure.{key}'; allowed: systolic, diastolic");
        }
        var systolic = Int(bp, "systolic", "bloodPressure.systolic", Bad);
        var diastolic = Int(bp, "diastolic", "bloodPressure.diastolic", Bad);
        if (map.GetValueOrDefault("answers") is not Dictionary<string, object?> answerMap) throw Bad("'answers' (one entry per screening item) is required");

        var answers = new Dictionary<string, ItemAnswer>();
        foreach (var (id, value) in answerMap)
        {
            var item = questionnaire.YesNoItems.FirstOrDefault(i => i.Id == id);
            answers[id] = item is { IsLimbSpecific: true } ? LimbAnswer(id, value, Bad) : YesNo(id, value, Bad);
        }

        ClinicianClearance? clearance = null;
        if (map.GetValueOrDefault("clearance") is { } c)
        {
            if (c is not Dictionary<string, object?> cm) throw Bad("'clearance' must be a mapping with clinician, date, items and optionally limbs and note");
            foreach (var key in cm.Keys.Where(k => k is not ("clinician" or "date" or "items" or "limbs" or "note")))
            {
                throw Bad($"unknown key 'clearance.{key}'; allowed: clinician, date, items, limbs, note");
            }
            var clinician = cm.GetValueOrDefault("clinician") as string;
            if (string.IsNullOrWhiteSpace(clinician)) throw Bad("'clearance.clinician' (who cleared) is required");
            if (cm.GetValueOrDefault("date") is not string d || !DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw Bad("'clearance.date' must be a date as yyyy-mm-dd");
            }
            if (date > today) throw Bad($"'clearance.date' {d} is in the future (today is {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}): a clearance is dated the day it was given");
            if (cm.GetValueOrDefault("items") is not List<object?> items || items.Count == 0 || items.Any(i => i is not string))
            {
                throw Bad("'clearance.items' must list the NeedsClearance item ids the clinician cleared");
            }
            IReadOnlyList<Limb>? limbs = cm.GetValueOrDefault("limbs") is { } l ? Limbs("clearance.limbs", l, Bad) : null;
            clearance = new ClinicianClearance(clinician, date, items.Cast<string>().ToList(), limbs, cm.GetValueOrDefault("note") as string);
        }
        try
        {
            return new ScreeningAnswers(age, systolic, diastolic, answers, clearance);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw Bad(ex.Message.Split('\n')[0].Split(" (Parameter")[0]);
        }
    }

    /// <summary>
    /// Evaluates on <paramref name="today"/> (the injected clock's), turning Core's complaints about the answers into a usage
    /// error on the option. A clearance 12 months old or more has expired and clears nothing (<see cref="ScreeningValidity"/>);
    /// the file itself carries no screening date: it is the screening, done today.
    /// </summary>
    /// <exception cref="UsageException">incomplete or inconsistent answers.</exception>
    public static ScreeningResult Evaluate(ScreeningAnswers answers, string path, string option, Questionnaire questionnaire, DateOnly today)
    {
        try
        {
            return Screener.Evaluate(answers, questionnaire, today);
        }
        catch (ArgumentException ex) when (ex is not ArgumentOutOfRangeException)
        {
            throw new UsageException(option, null, $"{path}: {ex.Message.Split(" (Parameter")[0]}");
        }
    }

    /// <summary>A YAML answers template: every item answered "no", to be edited.</summary>
    public static string Template(Questionnaire q)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"# OpenBFR screening answers (questionnaire version {q.Version}). Answer every item.");
        sb.AppendLine("# yes/no items: yes or no. Limb items: the limbs affected, e.g. [left-leg], or no.");
        sb.AppendLine("age: 30");
        sb.AppendLine("bloodPressure: { systolic: 120, diastolic: 80 }   # resting, mmHg");
        sb.AppendLine("answers:");
        foreach (var item in q.YesNoItems)
        {
            sb.AppendLine($"  # {item.Question}");
            sb.AppendLine($"  {item.Id}: {(item.IsLimbSpecific ? "[]" : "no")}");
        }
        sb.AppendLine("# clearance:                      # only a clinician fills this in");
        sb.AppendLine("#   clinician: Dr Jane Doe, sports physician");
        sb.AppendLine("#   date: 2026-11-20");
        sb.AppendLine("#   items: [diabetes]             # the NeedsClearance items reviewed");
        sb.AppendLine("#   limbs: [left-leg, right-leg]  # optional; default all limbs");
        return sb.ToString();
    }

    private static int Int(Dictionary<string, object?> map, string key, string name, Func<string, UsageException> bad)
    {
        if (map.GetValueOrDefault(key) is string s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        throw bad($"'{name}' must be a whole number, was {Show(map.GetValueOrDefault(key))}");
    }

    private static ItemAnswer YesNo(string id, object? value, Func<string, UsageException> bad) => value switch
    {
        string s when IsYes(s) => ItemAnswer.YesAnswer,
        string s when IsNo(s) => ItemAnswer.No,
        _ => throw bad($"'answers.{id}' must be yes or no, was {Show(value)}"),
    };

    private static ItemAnswer LimbAnswer(string id, object? value, Func<string, UsageException> bad) => value switch
    {
        string s when IsNo(s) => ItemAnswer.No,
        string s when IsYes(s) => ItemAnswer.YesAnswer, // Core refuses a yes without limbs, naming the item
        string s => ItemAnswer.OnLimbs(Limbs($"answers.{id}", new List<object?> { s }, bad)),
        List<object?> list => ItemAnswer.OnLimbs(Limbs($"answers.{id}", list, bad)),
        _ => throw bad($"'answers.{id}' must list the limbs affected (e.g. [left-leg]) or be no, was {Show(value)}"),
    };

    private static List<Limb> Limbs(string name, object? value, Func<string, UsageException> bad)
    {
        var list = value as List<object?> ?? [value];
        var limbs = new List<Limb>();
        foreach (var v in list)
        {
            if (v is string s && LimbExtensions.TryParseLimb(s, out var limb)) limbs.Add(limb);
            else throw bad($"'{name}': {Show(v)} is not a limb; use left-arm, right-arm, left-leg or right-leg");
        }
        return limbs;
    }

    private static bool IsYes(string s) => s.Trim().ToLowerInvariant() is "yes" or "y" or "true";

    private static bool IsNo(string s) => s.Trim().ToLowerInvariant() is "no" or "n" or "false" or "none";

    private static string Show(object? v) => v switch
    {
        null => "missing",
        string s => $"'{s}'",
        List<object?> => "a list",
        _ => "a mapping",
    };

    private static object? FromJson(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static object? FromYaml(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : FromYaml(stream.Documents[0].RootNode);
    }

    private static object? FromYaml(YamlNode node) => node switch
    {
        YamlMappingNode m => m.Children.ToDictionary(kv => kv.Key is YamlScalarNode k ? k.Value ?? "" : kv.Key.ToString(), kv => FromYaml(kv.Value)),
        YamlSequenceNode s => s.Children.Select(FromYaml).ToList(),
        YamlScalarNode s => s.Value is null or "" or "~" or "null" ? null : s.Value,
        _ => null,
    };
}
