using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using OpenBfr.Core.Limbs;

namespace OpenBfr.Cli.Infrastructure;

/// <summary>
/// Factories for options whose parse errors are already one line naming the option, the value and
/// what is allowed ("--time: 'abc' is not a time; use m:ss or h:mm:ss"). Use these instead of a
/// bare <c>Option&lt;double&gt;</c>, whose built-in conversion error names a .NET type.
/// Ranges are checked by the domain (Core's Guard); these only parse.
/// </summary>
public static class CliOptions
{
    /// <summary>A required or optional number (invariant culture: "12.5").</summary>
    public static Option<double> Number(string name, string description, bool required = true)
        => new(name)
        {
            Description = description,
            Required = required,
            CustomParser = r => ParseNumber(r, name),
        };

    /// <summary>An optional number: null when not given.</summary>
    public static Option<double?> OptionalNumber(string name, string description)
        => new(name)
        {
            Description = description,
            CustomParser = r => ParseNumber(r, name),
        };

    /// <summary>A required whole number.</summary>
    public static Option<int> Integer(string name, string description, bool required = true)
        => new(name)
        {
            Description = description,
            Required = required,
            CustomParser = r =>
            {
                var text = Single(r);
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
                r.AddError($"{name}: '{text}' is not a whole number");
                return 0;
            },
        };

    /// <summary>A duration typed as m:ss or h:mm:ss ("19:57", "3:10:49"; seconds may have decimals).</summary>
    public static Option<TimeSpan> Duration(string name, string description, bool required = true)
        => new(name)
        {
            Description = description + " (m:ss or h:mm:ss)",
            Required = required,
            CustomParser = r =>
            {
                var text = Single(r);
                if (TryParseDuration(text, out var d)) return d;
                r.AddError($"{name}: '{text}' is not a time; use m:ss or h:mm:ss (e.g. 19:57 or 3:10:49)");
                return TimeSpan.Zero;
            },
        };

    /// <summary>An enum typed in kebab-case ("walk-intervals"); case and '-'/'_' are ignored.</summary>
    public static Option<T> Choice<T>(string name, string description, bool required = true, T? defaultValue = null)
        where T : struct, Enum
    {
        var option = new Option<T>(name)
        {
            Description = $"{description}: {string.Join(", ", Enum.GetValues<T>().Select(Kebab))}",
            Required = required,
            CustomParser = r =>
            {
                var text = Single(r);
                if (TryParseEnum<T>(text, out var v)) return v;
                r.AddError($"{name}: '{text}' is not allowed; use {Alternatives(Enum.GetValues<T>().Select(Kebab))}");
                return default;
            },
        };
        if (defaultValue is { } d) option.DefaultValueFactory = _ => d;
        return option;
    }

    /// <summary>A limb: left-arm, right-arm, left-leg or right-leg.</summary>
    public static Option<Limb> LimbOption(string name, string description, bool required = true)
        => new(name)
        {
            Description = $"{description}: left-arm, right-arm, left-leg, right-leg",
            Required = required,
            CustomParser = r =>
            {
                var text = Single(r);
                if (LimbExtensions.TryParseLimb(text, out var limb)) return limb;
                r.AddError($"{name}: '{text}' is not a limb; use {Alternatives(LimbExtensions.All.Select(l => l.ToKebab()))}");
                return default;
            },
        };

    /// <summary>
    /// Parses m:ss, h:mm:ss or mm:ss.f; minutes and seconds must be below 60 after the first field,
    /// and the whole must fit a <see cref="TimeSpan"/> (a first field of 10¹⁴ hours once threw).
    /// </summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var parts = text.Trim().Split(':');
        if (parts.Length is < 2 or > 3) return false;
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var isSeconds = i == parts.Length - 1;
            var style = isSeconds ? NumberStyles.AllowDecimalPoint : NumberStyles.None;
            if (parts[i].Length == 0 || !double.TryParse(parts[i], style, CultureInfo.InvariantCulture, out values[i])) return false;
            if (i > 0 && values[i] >= 60) return false;
        }
        var seconds = parts.Length == 3
            ? values[0] * 3600 + values[1] * 60 + values[2]
            : values[0] * 60 + values[1];
        if (!(seconds < TimeSpan.MaxValue.TotalSeconds)) return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>"left-leg" for LeftLeg: the spelling used on the command line.</summary>
    public static string Kebab<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <summary>Parses an enum from kebab-case or its name, ignoring case.</summary>
    public static bool TryParseEnum<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var key = text.Trim().Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        if (key.Length == 0 || char.IsDigit(key[0]) || key[0] == '+') return false;
        return Enum.TryParse(key, ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    /// <summary>"a, b or c".</summary>
    public static string Alternatives(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 1 ? string.Join("", list) : string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1];
    }

    private static double ParseNumber(ArgumentResult r, string name)
    {
        var text = Single(r);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        r.AddError($"{name}: '{text}' is not a number");
        return double.NaN;
    }

    private static string Single(ArgumentResult r) => r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
}
