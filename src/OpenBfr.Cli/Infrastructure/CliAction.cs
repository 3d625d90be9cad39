using System.CommandLine;
using System.Text.RegularExpressions;
using OpenBfr.Core.Lop;
using OpenBfr.Core.Safety;

namespace OpenBfr.Cli.Infrastructure;

/// <summary>
/// How a command runs. A command calls <see cref="SetOpenBfrAction"/> with its body and, when it
/// calls Core, a <see cref="CoreErrorMap"/> from Core's argument names to its options. Core's refusals
/// then become one-line usage errors (exit 2) that name the option as typed:
/// <list type="bullet">
/// <item>ArgumentOutOfRangeException("systolic must be 70–250 mmHg, was 400") → "--systolic: 400 is outside 70–250 mmHg"</item>
/// <item>EstimationRefusedException(field, value, reason) → "--cuff-width-cm: 5 cannot be used: reason"</item>
/// <item>SafetyLimitExceededException / LopNotUsableException → the option the map names for them</item>
/// <item>ArgumentException whose argument name is mapped → that option with the message</item>
/// </list>
/// Anything else escapes to <see cref="OpenBfrCli.Run"/>, which prints one line and exits 1.
/// </summary>
public static class CliAction
{
    /// <summary>Sets the command's action: runs <paramref name="body"/> and translates Core's refusals.</summary>
    public static void SetOpenBfrAction(this Command command, Func<ParseResult, CliContext, int> body, CoreErrorMap? errors = null)
    {
        var map = errors ?? new CoreErrorMap();
        command.SetAction(parseResult =>
        {
            var context = CliContext.From(parseResult);
            try
            {
                return body(parseResult, context);
            }
            catch (Exception ex) when (map.Translate(ex) is { } usage)
            {
                throw usage;
            }
        });
    }
}

/// <summary>Maps Core's argument and field names to CLI options, for one command.</summary>
public sealed partial class CoreErrorMap
{
    private readonly Dictionary<string, string> _fields = new(StringComparer.OrdinalIgnoreCase);
    private string? _safetyOption;
    private string? _lopOption;

    /// <summary>Core's name (Guard's argument name or an exception's Field) is given on the command line as <paramref name="option"/>.</summary>
    public CoreErrorMap Field(string coreName, Option option)
    {
        _fields[coreName] = option.Name;
        return this;
    }

    /// <summary>A hard safety limit refusal is blamed on <paramref name="option"/> (e.g. --percent or --lop).</summary>
    public CoreErrorMap SafetyLimit(Option option)
    {
        _safetyOption = option.Name;
        return this;
    }

    /// <summary>A LOP that cannot set a pressure (position, age, limb) is blamed on <paramref name="option"/>.</summary>
    public CoreErrorMap LopNotUsable(Option option)
    {
        _lopOption = option.Name;
        return this;
    }

    /// <summary>The usage error for a Core refusal, or null when <paramref name="ex"/> is not a refusal.</summary>
    public UsageException? Translate(Exception ex) => ex switch
    {
        UsageException u => u,
        ArgumentOutOfRangeException a => FromGuard(a.ParamName, a.Message),
        EstimationRefusedException e => new UsageException(OptionFor(e.Field), e.Value, "cannot be used: " + e.Reason),
        SafetyLimitExceededException s => new UsageException(_safetyOption ?? "safety limit", null, FirstLine(s.Message)),
        LopNotUsableException l => new UsageException(_lopOption ?? "--lop", null, l.Reason),
        ArgumentException a when a.ParamName is { } name && _fields.ContainsKey(name)
            => new UsageException(_fields[name], null, FirstLine(a.Message)),
        _ => null,
    };

    /// <summary>The option for a Core name: the mapped one, else "--" plus the name in kebab-case.</summary>
    public string OptionFor(string coreName)
        => _fields.TryGetValue(coreName, out var option) ? option : "--" + KebabRegex().Replace(coreName, "$1-$2").ToLowerInvariant();

    private UsageException FromGuard(string? paramName, string message)
    {
        var line = FirstLine(message);
        var name = paramName ?? "";
        var option = name.Length > 0 ? OptionFor(name) : "argument";
        // Guard's shape: "{name} must be {allowed}, was {value}".
        var match = GuardRegex().Match(line);
        if (match.Success)
        {
            var allowed = match.Groups["allowed"].Value;
            var value = match.Groups["value"].Value;
            var problem = allowed.Length > 0 && (char.IsDigit(allowed[0]) || allowed[0] == '-')
                ? "is outside " + allowed
                : "is not allowed; must be " + allowed;
            return new UsageException(option, value, problem);
        }
        return new UsageException(option, null, line.StartsWith(name + " ", StringComparison.Ordinal) ? line[(name.Length + 1)..] : line);
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].TrimEnd('\r');
        var suffix = line.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return suffix >= 0 ? line[..suffix] : line;
    }

    [GeneratedRegex(@"^\S+ must be (?<allowed>.+), was (?<value>.+)$")]
    private static partial Regex GuardRegex();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabRegex();
}
